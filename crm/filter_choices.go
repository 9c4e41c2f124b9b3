package crm

import (
	"context"
	"fmt"
	"sort"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/outlet"
	"github.com/rapport-crm/rapport/ent/tag"
	"github.com/rapport-crm/rapport/ent/topic"
	"github.com/rapport-crm/rapport/ent/user"
)

// FilterChoices are the values the contact list's filters offer.
type FilterChoices struct {
	Regions, Topics, Tags []string
	Owners                []*ent.User
}

// LoadFilterChoices reads the regions in use, all topics, tags and active users.
func LoadFilterChoices(ctx context.Context, client *ent.Client) (FilterChoices, error) {
	var fc FilterChoices
	var err error
	if fc.Regions, err = regionsInUse(ctx, client); err != nil {
		return fc, fmt.Errorf("list regions: %w", err)
	}
	if fc.Topics, err = client.Topic.Query().Order(topic.ByName()).Select(topic.FieldName).Strings(ctx); err != nil {
		return fc, fmt.Errorf("list topics: %w", err)
	}
	if fc.Tags, err = client.Tag.Query().Order(tag.ByName()).Select(tag.FieldName).Strings(ctx); err != nil {
		return fc, fmt.Errorf("list tags: %w", err)
	}
	if fc.Owners, err = client.User.Query().Where(user.Active(true)).Order(user.ByName()).Select(user.FieldID, user.FieldName).All(ctx); err != nil {
		return fc, fmt.Errorf("list users: %w", err)
	}
	sort.Strings(fc.Regions)
	return fc, nil
}

// regionsQuery lists the distinct regions of contacts by skipping through
// the index on contacts.region (a "loose index scan"): one index probe per
// region instead of a scan of every contact, so it costs the same at 10,000
// and at 1,000,000 contacts. PostgreSQL and SQLite both run it.
const regionsQuery = `WITH RECURSIVE r(region) AS (
	SELECT MIN(region) FROM contacts WHERE region > ''
	UNION ALL
	SELECT (SELECT MIN(c.region) FROM contacts c WHERE c.region > r.region) FROM r WHERE r.region IS NOT NULL
) SELECT region FROM r WHERE region IS NOT NULL`

func regionsInUse(ctx context.Context, client *ent.Client) ([]string, error) {
	var out []string
	err := scanRows(ctx, client, regionsQuery, func(scan func(...any) error) error {
		var r string
		if err := scan(&r); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// OutletNamesMax bounds the outlet names the contact form offers.
const OutletNamesMax = 1000

// LoadOutletNames lists the first OutletNamesMax outlet names by name.
func LoadOutletNames(ctx context.Context, client *ent.Client) ([]string, error) {
	names, err := client.Outlet.Query().Order(outlet.ByName()).Limit(OutletNamesMax).Select(outlet.FieldName).Strings(ctx)
	if err != nil {
		return nil, fmt.Errorf("list outlets: %w", err)
	}
	return names, nil
}
