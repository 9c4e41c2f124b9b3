package crm

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contactemail"
	"github.com/rapport-crm/rapport/ent/outlet"
	"github.com/rapport-crm/rapport/ent/socialprofile"
	"github.com/rapport-crm/rapport/ent/tag"
	"github.com/rapport-crm/rapport/ent/topic"
)

// bulkChunk keeps every multi-row INSERT well under PostgreSQL's 65,535
// parameters (a contact row has about 25 columns).
const bulkChunk = 1000

// CreateContactsTx stores new contacts (each already checked with Check) in
// tx with one multi-row INSERT per relation and chunk, instead of a dozen
// statements per contact, and audits each with summaries[i]. It returns the
// new ids in the order of ins.
func CreateContactsTx(ctx context.Context, tx *ent.Tx, ins []ContactInput, summaries []string) ([]int, error) {
	if len(ins) == 0 {
		return nil, nil
	}
	ids := make([]int, 0, len(ins))
	for chunk := range slices.Chunk(ins, bulkChunk) {
		creates := make([]*ent.ContactCreate, len(chunk))
		for i, in := range chunk {
			creates[i] = tx.Contact.Create()
			applyContactFields(creates[i].Mutation(), in)
		}
		cs, err := tx.Contact.CreateBulk(creates...).Save(ctx)
		if err != nil {
			return nil, fmt.Errorf("create contacts: %w", err)
		}
		for _, c := range cs {
			ids = append(ids, c.ID)
		}
	}
	if err := createEmails(ctx, tx, ids, ins); err != nil {
		return nil, err
	}
	if err := createChannels(ctx, tx, ids, ins); err != nil {
		return nil, err
	}
	if err := createEmployments(ctx, tx, ids, ins); err != nil {
		return nil, err
	}
	if err := createLabels(ctx, tx, ids, ins); err != nil {
		return nil, err
	}
	return ids, auditCreated(ctx, tx, ids, summaries)
}

func createEmails(ctx context.Context, tx *ent.Tx, ids []int, ins []ContactInput) error {
	var bulk []*ent.ContactEmailCreate
	for i, in := range ins {
		for j, e := range in.Emails {
			typ := contactemail.Type(e.Type)
			if typ == "" {
				typ = contactemail.DefaultType
			}
			bulk = append(bulk, tx.ContactEmail.Create().SetContactID(ids[i]).SetAddress(e.Address).SetType(typ).SetPrimary(j == 0))
		}
	}
	for chunk := range slices.Chunk(bulk, bulkChunk) {
		if err := tx.ContactEmail.CreateBulk(chunk...).Exec(ctx); err != nil {
			return fmt.Errorf("save e-mails: %w", err)
		}
	}
	return nil
}

func createChannels(ctx context.Context, tx *ent.Tx, ids []int, ins []ContactInput) error {
	var bulk []*ent.SocialProfileCreate
	for i, in := range ins {
		for _, c := range in.Channels {
			bulk = append(bulk, tx.SocialProfile.Create().SetContactID(ids[i]).SetPlatform(socialprofile.Platform(c.Platform)).
				SetHandle(c.Handle).SetURL(ProfileURL(c.Platform, c.Handle)).SetFollowers(c.Followers))
		}
	}
	for chunk := range slices.Chunk(bulk, bulkChunk) {
		if err := tx.SocialProfile.CreateBulk(chunk...).Exec(ctx); err != nil {
			return fmt.Errorf("save channels: %w", err)
		}
	}
	return nil
}

func createEmployments(ctx context.Context, tx *ent.Tx, ids []int, ins []ContactInput) error {
	var names []string
	for _, in := range ins {
		for _, o := range in.Outlets {
			names = append(names, o.Outlet)
		}
	}
	outletIDs, err := outletIDsByName(ctx, tx, names)
	if err != nil {
		return err
	}
	var bulk []*ent.EmploymentCreate
	for i, in := range ins {
		for _, o := range in.Outlets {
			bulk = append(bulk, tx.Employment.Create().SetContactID(ids[i]).SetOutletID(outletIDs[strings.ToLower(o.Outlet)]).SetRole(o.Role))
		}
	}
	for chunk := range slices.Chunk(bulk, bulkChunk) {
		if err := tx.Employment.CreateBulk(chunk...).Exec(ctx); err != nil {
			return fmt.Errorf("save outlets: %w", err)
		}
	}
	return nil
}

// outletIDsByName maps lower-cased names to outlets, creating the missing ones.
func outletIDsByName(ctx context.Context, tx *ent.Tx, names []string) (map[string]int, error) {
	lowers, first := distinctFold(names)
	out := map[string]int{}
	for chunk := range slices.Chunk(lowers, bulkChunk) {
		found, err := tx.Outlet.Query().Where(func(s *sql.Selector) {
			s.Where(foldIn(s.C(outlet.FieldName), chunk, first))
		}).Order(ent.Asc(outlet.FieldID)).Select(outlet.FieldID, outlet.FieldName).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("find outlets: %w", err)
		}
		for _, o := range found {
			if _, ok := out[strings.ToLower(o.Name)]; !ok {
				out[strings.ToLower(o.Name)] = o.ID
			}
		}
	}
	var create []*ent.OutletCreate
	var missing []string
	for _, l := range lowers {
		if _, ok := out[l]; !ok {
			missing = append(missing, l)
			create = append(create, tx.Outlet.Create().SetName(first[l]))
		}
	}
	for i, chunk := 0, []*ent.OutletCreate(nil); i < len(create); i += len(chunk) {
		chunk = create[i:min(len(create), i+bulkChunk)]
		os, err := tx.Outlet.CreateBulk(chunk...).Save(ctx)
		if err != nil {
			return nil, fmt.Errorf("create outlets: %w", err)
		}
		for j, o := range os {
			out[missing[i+j]] = o.ID
		}
	}
	return out, nil
}

// createLabels links topics and tags, creating the names that do not exist.
func createLabels(ctx context.Context, tx *ent.Tx, ids []int, ins []ContactInput) error {
	var topics, tags []string
	for _, in := range ins {
		topics, tags = append(topics, in.Topics...), append(tags, in.Tags...)
	}
	topicIDs, err := labelIDs(ctx, tx, topics, true)
	if err != nil {
		return err
	}
	tagIDs, err := labelIDs(ctx, tx, tags, false)
	if err != nil {
		return err
	}
	var ct []*ent.ContactTopicCreate
	var cg []*ent.ContactTagCreate
	for i, in := range ins {
		for _, t := range in.Topics {
			ct = append(ct, tx.ContactTopic.Create().SetContactID(ids[i]).SetTopicID(topicIDs[strings.ToLower(t)]))
		}
		for _, t := range in.Tags {
			cg = append(cg, tx.ContactTag.Create().SetContactID(ids[i]).SetTagID(tagIDs[strings.ToLower(t)]))
		}
	}
	for chunk := range slices.Chunk(ct, bulkChunk) {
		if err := tx.ContactTopic.CreateBulk(chunk...).Exec(ctx); err != nil {
			return fmt.Errorf("save topics: %w", err)
		}
	}
	for chunk := range slices.Chunk(cg, bulkChunk) {
		if err := tx.ContactTag.CreateBulk(chunk...).Exec(ctx); err != nil {
			return fmt.Errorf("save tags: %w", err)
		}
	}
	return nil
}

// labelIDs maps lower-cased topic (or tag) names to ids, creating missing ones.
func labelIDs(ctx context.Context, tx *ent.Tx, names []string, topics bool) (map[string]int, error) {
	lowers, first := distinctFold(names)
	out := map[string]int{}
	lookup := func(keys []string) error {
		for chunk := range slices.Chunk(keys, bulkChunk) {
			var err error
			if topics {
				var ts []*ent.Topic
				ts, err = tx.Topic.Query().Where(func(s *sql.Selector) {
					s.Where(foldIn(s.C(topic.FieldName), chunk, first))
				}).Order(ent.Asc(topic.FieldID)).All(ctx)
				for _, t := range ts {
					setFirst(out, strings.ToLower(t.Name), t.ID)
				}
			} else {
				var ts []*ent.Tag
				ts, err = tx.Tag.Query().Where(func(s *sql.Selector) {
					s.Where(foldIn(s.C(tag.FieldName), chunk, first))
				}).Order(ent.Asc(tag.FieldID)).All(ctx)
				for _, t := range ts {
					setFirst(out, strings.ToLower(t.Name), t.ID)
				}
			}
			if err != nil {
				return fmt.Errorf("find topics or tags: %w", err)
			}
		}
		return nil
	}
	if err := lookup(lowers); err != nil {
		return nil, err
	}
	var missing []string
	for _, l := range lowers {
		if _, ok := out[l]; !ok {
			missing = append(missing, l)
		}
	}
	for chunk := range slices.Chunk(missing, bulkChunk) {
		var err error
		if topics {
			bulk := make([]*ent.TopicCreate, len(chunk))
			for i, l := range chunk {
				bulk[i] = tx.Topic.Create().SetName(first[l])
			}
			err = tx.Topic.CreateBulk(bulk...).OnConflictColumns(topic.FieldName).DoNothing().Exec(ctx)
		} else {
			bulk := make([]*ent.TagCreate, len(chunk))
			for i, l := range chunk {
				bulk[i] = tx.Tag.Create().SetName(first[l])
			}
			err = tx.Tag.CreateBulk(bulk...).OnConflictColumns(tag.FieldName).DoNothing().Exec(ctx)
		}
		if err != nil {
			return nil, fmt.Errorf("create topics or tags: %w", err)
		}
	}
	if err := lookup(missing); err != nil {
		return nil, err
	}
	return out, nil
}

// auditCreated writes one audit event per new contact, in bulk.
func auditCreated(ctx context.Context, tx *ent.Tx, ids []int, summaries []string) error {
	a := ActorFrom(ctx)
	now := time.Now().UTC()
	for start := 0; start < len(ids); start += bulkChunk {
		end := min(len(ids), start+bulkChunk)
		bulk := make([]*ent.AuditEventCreate, 0, end-start)
		for i := start; i < end; i++ {
			c := tx.AuditEvent.Create().SetAt(now).SetAction(ActionCreate).SetEntity(EntityContact).SetEntityID(ids[i]).
				SetSummary(truncateRunes(summaries[i], 300)).SetRequestID(a.RequestID).SetIP(a.IP)
			if a.UserID != 0 {
				c.SetActorID(a.UserID).SetActorName(a.Name)
			}
			bulk = append(bulk, c)
		}
		if err := tx.AuditEvent.CreateBulk(bulk...).Exec(ctx); err != nil {
			return fmt.Errorf("audit created contacts: %w", err)
		}
	}
	return nil
}

// distinctFold returns the distinct lower-cased names and, for each, the
// first spelling seen.
func distinctFold(names []string) ([]string, map[string]string) {
	first := map[string]string{}
	var lowers []string
	for _, n := range names {
		l := strings.ToLower(n)
		if _, ok := first[l]; !ok {
			first[l] = n
			lowers = append(lowers, l)
		}
	}
	return lowers, first
}

func setFirst(m map[string]int, k string, id int) {
	if _, ok := m[k]; !ok {
		m[k] = id
	}
}

// foldIn matches a name column case-blind, and byte-exact as well, because
// SQLite's LOWER folds ASCII letters only.
func foldIn(col string, lowers []string, first map[string]string) *sql.Predicate {
	exact := make([]string, len(lowers))
	for i, l := range lowers {
		exact[i] = first[l]
	}
	return sql.Or(sql.In(sql.Lower(col), anys(lowers)...), sql.In(col, anys(exact)...))
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
