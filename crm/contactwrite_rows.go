package crm

import (
	"context"
	"fmt"
	"slices"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contactemail"
	"github.com/rapport-crm/rapport/ent/employment"
	"github.com/rapport-crm/rapport/ent/socialprofile"
)

// deleteRelations removes the relation rows the batch no longer wants: one
// DELETE per table and 1,000 rows.
func (p *writePlan) deleteRelations(ctx context.Context) error {
	tx, r := p.tx, p.rel
	for chunk := range slices.Chunk(r.dropEmails, bulkChunk) {
		if _, err := tx.ContactEmail.Delete().Where(contactemail.IDIn(chunk...)).Exec(ctx); err != nil {
			return fmt.Errorf("remove e-mails: %w", err)
		}
	}
	for chunk := range slices.Chunk(r.dropChannels, bulkChunk) {
		if _, err := tx.SocialProfile.Delete().Where(socialprofile.IDIn(chunk...)).Exec(ctx); err != nil {
			return fmt.Errorf("remove channels: %w", err)
		}
	}
	for chunk := range slices.Chunk(r.dropJobs, bulkChunk) {
		if _, err := tx.Employment.Delete().Where(employment.IDIn(chunk...)).Exec(ctx); err != nil {
			return fmt.Errorf("remove outlets: %w", err)
		}
	}
	if err := p.dropLinks(ctx, "contact_topics", "topic_id", r.dropTopics); err != nil {
		return err
	}
	if err := p.dropLinks(ctx, "contact_tags", "tag_id", r.dropTags); err != nil {
		return err
	}
	return p.updateFollowers(ctx)
}

// dropLinks deletes the topic (tag) links of drop (contact → topic ids):
// one statement whatever their number, the pairs as two array arguments.
// (ent's edge removal wrote one OR branch per contact: ~250 ms a batch of
// 1,000 on PostgreSQL.)
func (p *writePlan) dropLinks(ctx context.Context, table, col string, drop map[int][]int) error {
	if len(drop) == 0 {
		return nil
	}
	var cs, ls []int
	for cid, ids := range drop {
		for _, id := range ids {
			cs, ls = append(cs, cid), append(ls, id)
		}
	}
	a := newSQLArgs(p.w.dialect)
	q := "DELETE FROM " + table + " WHERE (contact_id, " + col + ") IN (SELECT a, b FROM " + a.pairRows(cs, ls) + ")"
	if _, err := p.tx.ExecContext(ctx, q, a.list...); err != nil {
		return fmt.Errorf("remove %s: %w", table, err)
	}
	return nil
}

// addLinks inserts topic (tag) links: one statement whatever their number.
func (p *writePlan) addLinks(ctx context.Context, table, col string, links [][2]int) error {
	if len(links) == 0 {
		return nil
	}
	cs, ls := make([]int, len(links)), make([]int, len(links))
	for i, l := range links {
		cs[i], ls[i] = l[0], l[1]
	}
	a := newSQLArgs(p.w.dialect)
	q := "INSERT INTO " + table + " (contact_id, " + col + ") SELECT a, b FROM " + a.pairRows(cs, ls)
	if _, err := p.tx.ExecContext(ctx, q, a.list...); err != nil {
		return fmt.Errorf("save %s: %w", table, err)
	}
	return nil
}

// insertRelations inserts the batch's new e-mails and channels (the jobs and
// topic and tag links follow in insertNamedRelations): one INSERT per table, on PostgreSQL with one array
// parameter per column. A new channel has no follower history yet: its
// first change records the count it had before, as of its creation.
func (p *writePlan) insertRelations(ctx context.Context) error {
	if p.w.dialect == dialect.Postgres {
		return p.insertRelationsPG(ctx)
	}
	tx, r := p.tx, p.rel
	var emails []*ent.ContactEmailCreate
	for _, e := range r.emails {
		emails = append(emails, tx.ContactEmail.Create().SetContactID(e.p.id).SetAddress(e.address).
			SetType(contactemail.Type(e.typ)).SetPrimary(e.primary))
	}
	for chunk := range slices.Chunk(emails, bulkChunk) {
		if err := tx.ContactEmail.CreateBulk(chunk...).Exec(ctx); err != nil {
			return fmt.Errorf("save e-mails: %w", err)
		}
	}
	for chunk := range slices.Chunk(r.channels, bulkChunk) {
		bulk := make([]*ent.SocialProfileCreate, len(chunk))
		for i, c := range chunk {
			bulk[i] = tx.SocialProfile.Create().SetContactID(c.p.id).SetPlatform(socialprofile.Platform(c.platform)).
				SetHandle(c.handle).SetURL(ProfileURL(c.platform, c.handle)).SetFollowers(c.followers).
				SetCreatedAt(p.now).SetUpdatedAt(p.now)
		}
		if err := tx.SocialProfile.CreateBulk(bulk...).Exec(ctx); err != nil {
			return fmt.Errorf("save channels: %w", err)
		}
	}
	return nil
}

// insertNamedRelations inserts the rows that refer to outlets, topics and
// tags (resolveNames has found or created them): employments and links.
func (p *writePlan) insertNamedRelations(ctx context.Context) error {
	if err := p.insertJobs(ctx); err != nil {
		return err
	}
	r := p.rel
	if err := p.addLinks(ctx, "contact_topics", "topic_id", linkRows(r.topics, p.topics)); err != nil {
		return err
	}
	return p.addLinks(ctx, "contact_tags", "tag_id", linkRows(r.tags, p.tags))
}

// insertJobs inserts the new employments: one statement on PostgreSQL
// (array parameters), ent's bulk create per 1,000 on SQLite.
func (p *writePlan) insertJobs(ctx context.Context) error {
	if p.w.dialect == dialect.Postgres {
		return p.insertJobsPG(ctx)
	}
	tx, r := p.tx, p.rel
	var jobs []*ent.EmploymentCreate
	for _, j := range r.jobs {
		jobs = append(jobs, tx.Employment.Create().SetContactID(j.p.id).SetOutletID(p.outlets[j.key].id).SetRole(j.role))
	}
	for chunk := range slices.Chunk(jobs, bulkChunk) {
		if err := tx.Employment.CreateBulk(chunk...).Exec(ctx); err != nil {
			return fmt.Errorf("save outlets: %w", err)
		}
	}
	return nil
}

// linkRows are the (contact, label) pairs of rows, each once: two spellings
// of one name link once.
func linkRows(rows []labelRow, ids map[string]storedLabel) [][2]int {
	seen := map[[2]int]bool{}
	var out [][2]int
	for _, r := range rows {
		k := [2]int{r.p.id, ids[r.key].id}
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

func (p *writePlan) insertRelationsPG(ctx context.Context) error {
	r := p.rel
	if len(r.emails) > 0 {
		cid, addr, typ, primary := make([]int64, len(r.emails)), make([]string, len(r.emails)), make([]string, len(r.emails)), make([]bool, len(r.emails))
		for i, e := range r.emails {
			cid[i], addr[i], typ[i], primary[i] = int64(e.p.id), e.address, e.typ, e.primary
		}
		if err := p.execPG(ctx, "save e-mails", `INSERT INTO contact_emails (contact_id, address, type, "primary")
			SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bool[])`,
			pq.Array(cid), pq.Array(addr), pq.Array(typ), pq.Array(primary)); err != nil {
			return err
		}
	}
	if n := len(r.channels); n > 0 {
		cid, followers := make([]int64, n), make([]int64, n)
		platform, handle, url := make([]string, n), make([]string, n), make([]string, n)
		for i, c := range r.channels {
			cid[i], platform[i], handle[i] = int64(c.p.id), c.platform, c.handle
			url[i], followers[i] = ProfileURL(c.platform, c.handle), c.followers
		}
		if err := p.execPG(ctx, "save channels", `INSERT INTO social_profiles (created_at, updated_at, contact_id, platform, handle, url, followers)
			SELECT $1, $1, u.* FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[]) AS u`,
			p.now, pq.Array(cid), pq.Array(platform), pq.Array(handle), pq.Array(url), pq.Array(followers)); err != nil {
			return err
		}
	}
	return nil
}

func (p *writePlan) insertJobsPG(ctx context.Context) error {
	n := len(p.rel.jobs)
	if n == 0 {
		return nil
	}
	cid, oid, role := make([]int64, n), make([]int64, n), make([]string, n)
	for i, j := range p.rel.jobs {
		cid[i], oid[i], role[i] = int64(j.p.id), int64(p.outlets[j.key].id), j.role
	}
	return p.execPG(ctx, "save outlets", `INSERT INTO employments (contact_id, outlet_id, role)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[])`, pq.Array(cid), pq.Array(oid), pq.Array(role))
}

func (p *writePlan) execPG(ctx context.Context, what, query string, args ...any) error {
	if _, err := p.tx.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
