package crm

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/coverageauthor"
	"github.com/rapport-crm/rapport/ent/coverageitem"
)

// withAuthors loads a coverage item's authors and their contacts.
func withAuthors(q *ent.CoverageAuthorQuery) {
	q.WithContact().Order(coverageauthor.ByContactID())
}

// CoverageItem loads piece id with its authors, if the actor may see its
// campaign (else ENotFound: a record of others is not revealed).
func (s *Campaigns) CoverageItem(ctx context.Context, id int) (*ent.CoverageItem, error) {
	it, err := s.client.CoverageItem.Query().Where(coverageitem.ID(id), coverageitem.HasCampaignWith(visible(ActorFrom(ctx)))).
		WithAuthors(withAuthors).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, Errorf(ENotFound, "This piece of coverage does not exist or is not yours.")
	}
	if err != nil {
		return nil, fmt.Errorf("load coverage: %w", err)
	}
	return it, nil
}

// CoveragePage lists up to limit pieces of campaign id with their authors,
// newest recorded first, those with an id below before (0: from the
// newest), and whether more follow.
func (s *Campaigns) CoveragePage(ctx context.Context, id, before, limit int) ([]*ent.CoverageItem, bool, error) {
	if _, err := s.Campaign(ctx, id); err != nil {
		return nil, false, err
	}
	q := s.client.CoverageItem.Query().Where(coverageitem.CampaignID(id))
	if before > 0 {
		q.Where(coverageitem.IDLT(before))
	}
	items, err := q.WithAuthors(withAuthors).Order(ent.Desc(coverageitem.FieldID)).Limit(limit + 1).All(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("list coverage: %w", err)
	}
	if len(items) > limit {
		return items[:limit], true, nil
	}
	return items, false, nil
}
