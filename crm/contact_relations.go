package crm

import (
	"context"
	"fmt"
	"strings"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contactemail"
	"github.com/rapport-crm/rapport/ent/contacttag"
	"github.com/rapport-crm/rapport/ent/contacttopic"
	"github.com/rapport-crm/rapport/ent/employment"
	"github.com/rapport-crm/rapport/ent/outlet"
	"github.com/rapport-crm/rapport/ent/socialprofile"
	"github.com/rapport-crm/rapport/ent/tag"
	"github.com/rapport-crm/rapport/ent/topic"
)

// checkHandlesFree returns a field error for each channel that another contact
// (not self) already has; the unique index would refuse it anyway, but this
// says who has it.
func checkHandlesFree(ctx context.Context, tx *ent.Tx, self int, chans []ChannelInput) error {
	fe := FieldErrors{}
	for i, c := range chans {
		other, err := tx.SocialProfile.Query().
			Where(socialprofile.PlatformEQ(socialprofile.Platform(c.Platform)), socialprofile.Handle(c.Handle), socialprofile.ContactIDNEQ(self)).
			QueryContact().Only(ctx)
		if ent.IsNotFound(err) {
			continue
		}
		if err != nil {
			return fmt.Errorf("check channel %s/%s: %w", c.Platform, c.Handle, err)
		}
		fe.Add(fmt.Sprintf("channels.%d", i), fmt.Sprintf("%s on %s belongs to %s already.", c.Handle, c.Platform, DisplayName(other.FirstName, other.LastName)))
	}
	return fe.Err()
}

// DisplayName joins first and last name.
func DisplayName(first, last string) string { return strings.TrimSpace(first + " " + last) }

// clearRelations removes the rows that saveRelations writes anew. Channels are
// kept and updated in place so their ids (and later their history) survive.
func clearRelations(ctx context.Context, tx *ent.Tx, id int) error {
	if _, err := tx.ContactEmail.Delete().Where(contactemail.ContactID(id)).Exec(ctx); err != nil {
		return fmt.Errorf("clear e-mails: %w", err)
	}
	if _, err := tx.Employment.Delete().Where(employment.ContactID(id)).Exec(ctx); err != nil {
		return fmt.Errorf("clear outlets: %w", err)
	}
	if _, err := tx.ContactTopic.Delete().Where(contacttopic.ContactID(id)).Exec(ctx); err != nil {
		return fmt.Errorf("clear topics: %w", err)
	}
	if _, err := tx.ContactTag.Delete().Where(contacttag.ContactID(id)).Exec(ctx); err != nil {
		return fmt.Errorf("clear tags: %w", err)
	}
	return nil
}

// saveRelations writes the e-mails, channels, jobs, topics and tags of in for contact id.
func saveRelations(ctx context.Context, tx *ent.Tx, id int, in ContactInput) error {
	if len(in.Emails) > 0 {
		bulk := make([]*ent.ContactEmailCreate, len(in.Emails))
		for i, e := range in.Emails {
			typ := contactemail.Type(e.Type)
			if typ == "" {
				typ = contactemail.DefaultType
			}
			bulk[i] = tx.ContactEmail.Create().SetContactID(id).SetAddress(e.Address).SetType(typ).SetPrimary(i == 0)
		}
		if err := tx.ContactEmail.CreateBulk(bulk...).Exec(ctx); err != nil {
			return fmt.Errorf("save e-mails: %w", err)
		}
	}
	if err := saveChannels(ctx, tx, id, in.Channels); err != nil {
		return err
	}
	for _, o := range in.Outlets {
		oid, err := outletID(ctx, tx, o.Outlet)
		if err != nil {
			return err
		}
		if err := tx.Employment.Create().SetContactID(id).SetOutletID(oid).SetRole(o.Role).Exec(ctx); err != nil {
			return fmt.Errorf("save outlet %q: %w", o.Outlet, err)
		}
	}
	topicIDs, err := topicIDs(ctx, tx, in.Topics)
	if err != nil {
		return err
	}
	tagIDs, err := tagIDs(ctx, tx, in.Tags)
	if err != nil {
		return err
	}
	if err := tx.Contact.UpdateOneID(id).AddTopicIDs(topicIDs...).AddTagIDs(tagIDs...).Exec(ctx); err != nil {
		return fmt.Errorf("save topics and tags: %w", err)
	}
	return nil
}

func saveChannels(ctx context.Context, tx *ent.Tx, id int, chans []ChannelInput) error {
	existing, err := tx.SocialProfile.Query().Where(socialprofile.ContactID(id)).All(ctx)
	if err != nil {
		return fmt.Errorf("load channels: %w", err)
	}
	keep := map[int]bool{}
	for _, c := range chans {
		var found *ent.SocialProfile
		for _, e := range existing {
			if string(e.Platform) == c.Platform && e.Handle == c.Handle {
				found = e
			}
		}
		if found != nil {
			keep[found.ID] = true
			if found.Followers != c.Followers {
				if err := tx.SocialProfile.UpdateOne(found).SetFollowers(c.Followers).Exec(ctx); err != nil {
					return fmt.Errorf("update channel: %w", err)
				}
				if err := recordFollowers(ctx, tx, found, c.Followers); err != nil {
					return err
				}
			}
			continue
		}
		ch, err := tx.SocialProfile.Create().SetContactID(id).SetPlatform(socialprofile.Platform(c.Platform)).
			SetHandle(c.Handle).SetURL(ProfileURL(c.Platform, c.Handle)).SetFollowers(c.Followers).Save(ctx)
		if err != nil {
			return fmt.Errorf("add channel %s/%s: %w", c.Platform, c.Handle, err)
		}
		if err := recordFollowers(ctx, tx, ch, c.Followers); err != nil {
			return err
		}
	}
	var drop []int
	for _, e := range existing {
		if !keep[e.ID] {
			drop = append(drop, e.ID)
		}
	}
	if _, err := tx.SocialProfile.Delete().Where(socialprofile.IDIn(drop...)).Exec(ctx); err != nil {
		return fmt.Errorf("remove channels: %w", err)
	}
	return nil
}

// outletID finds an outlet by name (case-blind) or creates it.
func outletID(ctx context.Context, tx *ent.Tx, name string) (int, error) {
	id, err := tx.Outlet.Query().Where(outlet.NameEqualFold(name)).FirstID(ctx)
	if ent.IsNotFound(err) {
		o, err := tx.Outlet.Create().SetName(name).Save(ctx)
		if err != nil {
			return 0, fmt.Errorf("create outlet %q: %w", name, err)
		}
		return o.ID, nil
	}
	if err != nil {
		return 0, fmt.Errorf("find outlet %q: %w", name, err)
	}
	return id, nil
}

func topicIDs(ctx context.Context, tx *ent.Tx, names []string) ([]int, error) {
	ids := make([]int, 0, len(names))
	for _, n := range names {
		id, err := tx.Topic.Query().Where(topic.NameEqualFold(n)).FirstID(ctx)
		if ent.IsNotFound(err) {
			id, err = tx.Topic.Create().SetName(n).OnConflictColumns(topic.FieldName).UpdateName().ID(ctx)
		}
		if err != nil {
			return nil, fmt.Errorf("topic %q: %w", n, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func tagIDs(ctx context.Context, tx *ent.Tx, names []string) ([]int, error) {
	ids := make([]int, 0, len(names))
	for _, n := range names {
		id, err := tx.Tag.Query().Where(tag.NameEqualFold(n)).FirstID(ctx)
		if ent.IsNotFound(err) {
			id, err = tx.Tag.Create().SetName(n).OnConflictColumns(tag.FieldName).UpdateName().ID(ctx)
		}
		if err != nil {
			return nil, fmt.Errorf("tag %q: %w", n, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}
