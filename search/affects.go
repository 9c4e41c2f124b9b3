package search

import (
	"context"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contactemail"
	"github.com/rapport-crm/rapport/ent/contacttag"
	"github.com/rapport-crm/rapport/ent/contacttopic"
	"github.com/rapport-crm/rapport/ent/coverageauthor"
	"github.com/rapport-crm/rapport/ent/employment"
	"github.com/rapport-crm/rapport/ent/feedpost"
	"github.com/rapport-crm/rapport/ent/participation"
	"github.com/rapport-crm/rapport/ent/socialprofile"
)

// Outbox is the table db.Open installs in its outbox hook: for each entity
// whose rows feed a contact's search document (see Document), the contacts a
// mutation of it touches. Whoever changes what a document contains changes
// this table with it; TestOutboxCoversEveryEntity fails when an ent entity is
// in neither this table nor NotInDocument.
//
// Rows of the join tables (topics, tags, participations) are recorded on
// create; their deletion is recorded by the contact or interaction mutation
// that goes with it.
func Outbox() db.Outbox {
	return db.Outbox{
		ent.TypeContact: {Before: idsOf, After: func(_ ent.Mutation, v ent.Value) []int {
			if c, ok := v.(*ent.Contact); ok {
				return []int{c.ID}
			}
			return nil
		}},
		ent.TypeContactEmail: {Before: contactOf(func(ctx context.Context, c *ent.Client, ids []int) ([]int, error) {
			return c.ContactEmail.Query().Where(contactemail.IDIn(ids...)).Select(contactemail.FieldContactID).Ints(ctx)
		}), After: createdContact},
		ent.TypeSocialProfile: {Before: contactOf(func(ctx context.Context, c *ent.Client, ids []int) ([]int, error) {
			return c.SocialProfile.Query().Where(socialprofile.IDIn(ids...)).Select(socialprofile.FieldContactID).Ints(ctx)
		}), After: createdContact},
		ent.TypeEmployment: {Before: contactOf(func(ctx context.Context, c *ent.Client, ids []int) ([]int, error) {
			return c.Employment.Query().Where(employment.IDIn(ids...)).Select(employment.FieldContactID).Ints(ctx)
		}), After: createdContact},
		ent.TypeOutlet: {Before: contactOf(func(ctx context.Context, c *ent.Client, ids []int) ([]int, error) {
			return c.Employment.Query().Where(employment.OutletIDIn(ids...)).Select(employment.FieldContactID).Ints(ctx)
		}), FreeCreate: true},
		ent.TypeTopic: {Before: contactOf(func(ctx context.Context, c *ent.Client, ids []int) ([]int, error) {
			return c.ContactTopic.Query().Where(contacttopic.TopicIDIn(ids...)).Select(contacttopic.FieldContactID).Ints(ctx)
		}), FreeCreate: true},
		ent.TypeTag: {Before: contactOf(func(ctx context.Context, c *ent.Client, ids []int) ([]int, error) {
			return c.ContactTag.Query().Where(contacttag.TagIDIn(ids...)).Select(contacttag.FieldContactID).Ints(ctx)
		}), FreeCreate: true},
		ent.TypeInteraction: {Before: contactOf(func(ctx context.Context, c *ent.Client, ids []int) ([]int, error) {
			return c.Participation.Query().Where(participation.InteractionIDIn(ids...)).Select(participation.FieldContactID).Ints(ctx)
		}), After: func(m ent.Mutation, _ ent.Value) []int {
			im := m.(*ent.InteractionMutation)
			return append(im.ContactsIDs(), im.RemovedContactsIDs()...)
		}},
		// A piece of coverage is in its authors' documents: a new one has no
		// authors yet; the authors' rows say whom they add.
		ent.TypeCoverageItem: {Before: contactOf(func(ctx context.Context, c *ent.Client, ids []int) ([]int, error) {
			return c.CoverageAuthor.Query().Where(coverageauthor.CoverageItemIDIn(ids...)).Select(coverageauthor.FieldContactID).Ints(ctx)
		}), FreeCreate: true},
		ent.TypeCoverageAuthor: {Before: contactOf(func(ctx context.Context, c *ent.Client, ids []int) ([]int, error) {
			return c.CoverageAuthor.Query().Where(coverageauthor.IDIn(ids...)).Select(coverageauthor.FieldContactID).Ints(ctx)
		}), After: createdContact},
		// A feed post of a contact's channel is in the contact's document
		// (the newest titles); an owned channel's post has no contact.
		ent.TypeFeedPost: {Before: contactOf(func(ctx context.Context, c *ent.Client, ids []int) ([]int, error) {
			return c.FeedPost.Query().Where(feedpost.IDIn(ids...), feedpost.ContactIDNotNil()).Select(feedpost.FieldContactID).Ints(ctx)
		}), After: createdContact},
		ent.TypeContactTopic:  {After: createdContact},
		ent.TypeContactTag:    {After: createdContact},
		ent.TypeParticipation: {After: createdContact},
	}
}

// idsOf returns the ids an update or delete will touch.
func idsOf(ctx context.Context, m ent.Mutation) ([]int, error) {
	if m.Op().Is(ent.OpCreate) {
		return nil, nil
	}
	return m.(interface {
		IDs(context.Context) ([]int, error)
	}).IDs(ctx)
}

// contactOf returns the contact ids of the rows an update or delete will touch.
func contactOf(query func(ctx context.Context, c *ent.Client, ids []int) ([]int, error)) func(context.Context, ent.Mutation) ([]int, error) {
	return func(ctx context.Context, m ent.Mutation) ([]int, error) {
		ids, err := idsOf(ctx, m)
		if err != nil || len(ids) == 0 {
			return nil, err
		}
		return query(ctx, m.(interface{ Client() *ent.Client }).Client(), ids)
	}
}

// createdContact is the contact_id a create sets.
func createdContact(m ent.Mutation, _ ent.Value) []int {
	if v, ok := m.Field("contact_id"); ok {
		if id, ok := v.(int); ok {
			return []int{id}
		}
	}
	return nil
}

// NotInDocument are the ent entities whose rows no contact document holds:
// writing them records no change. Every entity is either here or in Outbox,
// so a new one makes TestOutboxCoversEveryEntity fail until someone decides.
var NotInDocument = map[string]string{
	ent.TypeAPIToken:             "authentication",
	ent.TypeAuditEvent:           "the audit trail",
	ent.TypeBulkAction:           "bulk bookkeeping; the contacts it changes are recorded by the writer",
	ent.TypeBulkActionItem:       "bulk bookkeeping (the undo record)",
	ent.TypePlace:                "canonical place names; the contact writer applies them to contacts",
	ent.TypeCustomField:          "custom field definitions; a type change or removal rewrites the values through the contact writer",
	ent.TypeMailSetting:          "the mail server's settings",
	ent.TypeNotification:         "e-mails to users, made from the audit trail",
	ent.TypeNotificationPosition: "how far the notifier has read the audit trail",
	ent.TypeBrand:                "clients of campaigns",
	ent.TypeOwnedChannel:         "the brand's own channels, no contact's",
	ent.TypeFeed:                 "the feed poller's state",
	ent.TypeKeywordRule:          "keyword alert rules",
	ent.TypeKeywordAlert:         "keyword alerts: candidates and the tasks they made",
	ent.TypeCampaign:             "campaigns; their pitches reach documents as interactions",
	ent.TypeCampaignMember:       "who runs a campaign",
	ent.TypeCampaignTarget:       "pitch states; the pitch itself is an interaction",
	ent.TypeChange:               "the outbox itself",
	ent.TypeExportLog:            "who exported what",
	ent.TypeFollowerSnapshot:     "follower history; the document holds contacts.reach",
	ent.TypeImportFile:           "an import's uploaded bytes",
	ent.TypeImportJob:            "import bookkeeping; the contacts it writes are recorded",
	ent.TypeImportMapping:        "import bookkeeping",
	ent.TypeImportRow:            "import bookkeeping",
	ent.TypeLoginThrottle:        "authentication",
	ent.TypeNomination:           "nominations are not searched",
	ent.TypeNominationDecision:   "nominations are not searched",
	ent.TypeSegment:              "saved searches, not contacts",
	ent.TypeSavedView:            "saved list views (columns, filters, sort), not contacts",
	ent.TypeViewDefault:          "which saved view a user's list opens with, not contacts",
	ent.TypeSession:              "authentication",
	ent.TypeStageSetting:         "stage labels; the document holds the stage key",
	ent.TypeTask:                 "tasks are not searched",
	ent.TypeUser:                 "the document holds owner_id only",
	ent.TypeConsentEvent:         "consent history; the document holds the contact's columns",
	ent.TypePrivacyRequest:       "the /privacy queue",
	ent.TypeSuppression:          "keyed hashes of erased people",
	ent.TypeRetentionReview:      "the retention review list",
	ent.TypeServerSecret:         "keys",
	ent.TypeWebhook:              "webhook subscriptions",
	ent.TypeWebhookDelivery:      "webhook bookkeeping",
	ent.TypeWebhookPosition:      "webhook bookkeeping",
}
