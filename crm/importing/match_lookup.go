package importing

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/lib/pq"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/contactemail"
	"github.com/rapport-crm/rapport/ent/socialprofile"
)

// lookupChunk bounds the values of one look-up: SQLite takes them as one
// parameter each; PostgreSQL gets them as one array parameter.
const lookupChunk = 5000

// anyOf matches col against vals: on PostgreSQL with "= ANY($1)" and one
// array parameter (parsed and planned at once, whatever the number of
// values), elsewhere with an IN list.
func anyOf(col string, vals []string) func(*entsql.Selector) {
	return func(s *entsql.Selector) {
		if s.Dialect() == dialect.Postgres {
			s.Where(entsql.P(func(b *entsql.Builder) {
				b.WriteString(s.C(col)).WriteString(" = ANY(").Arg(pq.Array(vals)).WriteString(")")
			}))
			return
		}
		s.Where(entsql.In(s.C(col), anys(vals)...))
	}
}

// findByEmails maps normalised addresses to the contacts that have them.
func findByEmails(ctx context.Context, client *ent.Client, addrs []string) (map[string]int, error) {
	out := map[string]int{}
	for chunk := range slices.Chunk(addrs, lookupChunk) {
		rows, err := client.ContactEmail.Query().Where(anyOf(contactemail.FieldAddress, chunk)).
			Select(contactemail.FieldAddress, contactemail.FieldContactID).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("find e-mails: %w", err)
		}
		for _, r := range rows {
			if old, ok := out[r.Address]; !ok || r.ContactID < old {
				out[r.Address] = r.ContactID
			}
		}
	}
	return out, nil
}

// findByHandles maps "platform/handle" keys to the contacts that have them.
func findByHandles(ctx context.Context, client *ent.Client, keys []string) (map[string]int, error) {
	byPlatform := map[string][]string{}
	for _, k := range keys {
		p, h, _ := strings.Cut(k, "/")
		byPlatform[p] = append(byPlatform[p], h)
	}
	out := map[string]int{}
	for p, hs := range byPlatform {
		for chunk := range slices.Chunk(hs, lookupChunk) {
			rows, err := client.SocialProfile.Query().Where(socialprofile.PlatformEQ(socialprofile.Platform(p)), anyOf(socialprofile.FieldHandle, chunk)).
				Select(socialprofile.FieldHandle, socialprofile.FieldContactID).All(ctx)
			if err != nil {
				return nil, fmt.Errorf("find handles: %w", err)
			}
			for _, r := range rows {
				out[p+"/"+r.Handle] = r.ContactID
			}
		}
	}
	return out, nil
}

// existingIDs returns which of ids are contacts.
func existingIDs(ctx context.Context, client *ent.Client, ids []int) (map[int]bool, error) {
	out := map[int]bool{}
	for chunk := range slices.Chunk(ids, 1000) {
		found, err := client.Contact.Query().Where(contact.IDIn(chunk...)).IDs(ctx)
		if err != nil {
			return nil, fmt.Errorf("find contacts: %w", err)
		}
		for _, id := range found {
			out[id] = true
		}
	}
	return out, nil
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
