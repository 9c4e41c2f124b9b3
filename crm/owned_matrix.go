package crm

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// ActivityWindow is how far back a channel's activity (its posts) counts.
const ActivityWindow = 30 * 24 * time.Hour

// MatrixChannel is one owned channel in a cell of the channel matrix.
type MatrixChannel struct {
	ID                      int
	Platform, Handle, Owner string
	Posts                   int // posts in the last ActivityWindow (from its feed)
}

// ChannelCell is one region × topic: the owned channels there and the
// engaged-or-better contacts (the relationship matrix's count).
type ChannelCell struct {
	Channels []MatrixChannel
	Engaged  int
}

// Gap reports a cell with engaged contacts but no channel of our own.
func (c ChannelCell) Gap() bool { return len(c.Channels) == 0 && c.Engaged > 0 }

// ChannelMatrix is the owned channels by region × topic on the relationship
// matrix's axes (every region in use by contacts or channels, every topic);
// Unplaced are the channels without region or topic.
type ChannelMatrix struct {
	Regions, Topics []string
	Cells           map[[2]string]ChannelCell
	Unplaced        []MatrixChannel
}

// Cell returns the cell of region and topic.
func (m *ChannelMatrix) Cell(region, topic string) ChannelCell {
	return m.Cells[[2]string{region, topic}]
}

const ownedMatrixQuery = `
SELECT o.id, o.region, COALESCE(t.name, ''), o.platform, o.handle, COALESCE(u.name, ''),
	(SELECT COUNT(*) FROM feed_posts p WHERE p.owned_channel_id = o.id AND p.published_at >= $1)
FROM owned_channels o
LEFT JOIN topics t ON t.id = o.topic_id
LEFT JOIN users u ON u.id = o.owner_id
ORDER BY o.platform, o.handle, o.id`

// LoadChannelMatrix builds the matrix at now: the coverage matrix's axes
// and engaged counts (one definition of an engaged contact; cached in l
// when it is not nil, see LoadCoverageFor) and the owned channels with
// their activity, read every time.
func LoadChannelMatrix(ctx context.Context, client querier, l *Lookups, now time.Time) (*ChannelMatrix, error) {
	cov, err := LoadCoverageFor(ctx, client, l, now)
	if err != nil {
		return nil, err
	}
	// The coverage may be shared (cached): its axes are copied before channels add regions.
	m := &ChannelMatrix{Regions: slices.Clone(cov.Regions), Topics: cov.Topics, Cells: map[[2]string]ChannelCell{}}
	for k, c := range cov.Cells {
		m.Cells[k] = ChannelCell{Engaged: c.Active}
	}
	rows, err := client.QueryContext(ctx, ownedMatrixQuery, now.Add(-ActivityWindow).UTC())
	if err != nil {
		return nil, fmt.Errorf("channel matrix: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ch MatrixChannel
		var region, topic string
		if err := rows.Scan(&ch.ID, &region, &topic, &ch.Platform, &ch.Handle, &ch.Owner, &ch.Posts); err != nil {
			return nil, fmt.Errorf("channel matrix: %w", err)
		}
		if region == "" || topic == "" {
			m.Unplaced = append(m.Unplaced, ch)
			continue
		}
		if !slices.Contains(m.Regions, region) {
			m.Regions = append(m.Regions, region)
		}
		k := [2]string{region, topic}
		c := m.Cells[k]
		c.Channels = append(c.Channels, ch)
		m.Cells[k] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("channel matrix: %w", err)
	}
	slices.Sort(m.Regions)
	return m, nil
}
