package pages

import (
	"context"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/views"
	"github.com/rapport-crm/rapport/views/components"
)

// CampaignsProps are /campaigns' values: the campaigns the user may see
// with their progress, optionally of one client.
type CampaignsProps struct {
	Meta      views.PageMeta
	Rows      []crm.CampaignRow // one page
	Status    string            // the status filter, "" every status
	Pager     components.PagerProps
	Client    *ent.Brand // nil: every client
	Totals    crm.Funnel // all of the client's campaigns, not only the page
	Clients   []*ent.Brand
	CanManage bool
	Errors    map[string]string
	NewClient string
}

// CampaignForm is the new-campaign form's values.
type CampaignForm struct {
	Brand, Name, Goal, KeyMessages string
	StartsAt, EndsAt, EmbargoUntil string
	Status, NoReplyDays            string
	Team                           []string
}

// CampaignFormProps are the new-campaign page's values.
type CampaignFormProps struct {
	Meta    views.PageMeta
	Form    CampaignForm
	Clients []*ent.Brand
	Users   []*ent.User
	Errors  map[string]string
}

// CampaignProps are a campaign page's values.
type CampaignProps struct {
	Meta      views.PageMeta
	Campaign  *ent.Campaign
	Funnel    crm.Funnel
	Targets   *crm.TargetPage
	Status    string // the target filter
	Segments  []*ent.Segment
	Coverage  *crm.CoverageSearch // the campaign's pieces, narrowed by the coverage search
	Errors    map[string]string
	Cover     CoverageForm
	CanReport bool
	// Bulk is the bulk bar of the target list (its selection: the targets
	// in the filtered status); its ticks also choose whom the status and
	// pitch buttons change.
	Bulk BulkBarProps
	// TargetPager links the target list's first and next pages.
	TargetPager components.PagerProps
	Now         time.Time
}

// CoverageForm is the add-coverage form's values.
type CoverageForm struct {
	URL, Title, Outlet, OutletType, PublishedAt string
	Kind, Reach, Sentiment, Authors             string
	KeyMessages                                 []string
	Message                                     string // a form-level refusal (e.g. a duplicate), translated
}

// ReportProps are the campaign report's values.
type ReportProps struct {
	Meta   views.PageMeta
	Report *crm.Report
}

// pct is n of of as "42 %".
func pct(n, of int) string { return fmt.Sprintf("%d %%", crm.Rate(n, of)) }

func num(ctx context.Context, n int) string { return components.Number(ctx, int64(n)) }

func reachText(ctx context.Context, r *int64) string {
	if r == nil {
		return "—"
	}
	return components.Number(ctx, *r)
}

func dateOrDash(ctx context.Context, t *time.Time) string {
	if t == nil {
		return "—"
	}
	return components.Date(ctx, *t)
}

// statusOptions are the pitch states as filter choices.
func statusOptions() []components.Option {
	return withFirst("", "every status", components.Options(crm.PitchStatuses()))
}

func manualStates() []string { return crm.ManualStates }

func clientOptions(cs []*ent.Brand) []components.Option {
	out := []components.Option{components.Msg("", "choose a client")}
	for _, c := range cs {
		out = append(out, components.Option{Value: itoa(c.ID), Label: c.Name})
	}
	return out
}

func segmentOptions(ss []*ent.Segment) []components.Option {
	out := []components.Option{components.Msg("", "choose a segment")}
	for _, s := range ss {
		out = append(out, components.Option{Value: itoa(s.ID), Label: s.Name})
	}
	return out
}

func coverageKindOptions() []components.Option {
	return components.Options([]string{"article", "broadcast", "blog_post", "social_post", "video", "podcast", "newsletter", "advocate_recommendation"})
}

func sentimentOptions() []components.Option {
	return components.Options([]string{"neutral", "positive", "negative"})
}

// bar is the width of a bar of n in a chart whose largest value is most.
func bar(n, most int, width float64) string {
	if most <= 0 {
		return "0"
	}
	return fmt.Sprintf("%.1f", float64(n)/float64(most)*width)
}

func maxPieces(cs []crm.Count) int {
	m := 0
	for _, c := range cs {
		m = max(m, c.Pieces)
	}
	return m
}

func yAt(i int) string       { return itoa(i*22 + 4) }
func yText(i int) string     { return itoa(i*22 + 18) }
func svgHeight(n int) string { return itoa(n*22 + 8) }

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// crmPiece is a coverage item as tables list it.
type crmPiece = crm.Piece

func crmStatuses() []string { return crm.PitchStatuses() }

// funnelCounts are the funnel's steps as chart bars.
func funnelCounts(ctx context.Context, f crm.Funnel) []crm.Count {
	return []crm.Count{{Name: tr(ctx, "Targets"), Pieces: f.Targets}, {Name: tr(ctx, "Pitched"), Pieces: f.Pitched},
		{Name: tr(ctx, "Replied"), Pieces: f.Replied}, {Name: tr(ctx, "Covered"), Pieces: f.Covered}}
}

// countName is a report row's name in the locale's words: a week's Monday
// as a date, an outlet type or sentiment code as its word, a name as it is.
func countName(ctx context.Context, name string) string {
	if t, err := time.Parse(time.DateOnly, name); err == nil {
		return components.Date(ctx, t)
	}
	if name == "(unknown)" {
		return tr(ctx, "(unknown)")
	}
	return components.Label(ctx, name)
}

func truncName(s string) string { return crm.Truncate(s, 24) }

// campaignStates are a campaign's states, in their order.
var campaignStates = []string{"planned", "running", "done"}

// campaignStatusOptions are the campaign states as list filter choices.
func campaignStatusOptions() []components.Option {
	return withFirst("", "every status", components.Options(campaignStates))
}

// CoverageImportProps are the coverage import page's values: the upload
// form, and after a file was read its mapping and dry run. Data is the file
// (base64) the form carries back to check again or import.
type CoverageImportProps struct {
	Meta     views.PageMeta
	Campaign *ent.Campaign
	Error    string
	Filename string
	Data     string
	Plan     *importing.CoveragePlan
	MaxKB    int
	MaxRows  int
}

// coverageFieldOptions are the mapping targets of a coverage column.
func coverageFieldOptions() []components.Option {
	opts := []components.Option{{Value: "", Label: "(ignore)", Msg: true}}
	for _, f := range importing.CoverageFields {
		opts = append(opts, components.Option{Value: f.Key, Label: f.Label, Msg: true})
	}
	return opts
}

// coverageStatus is a row's status in words.
func coverageStatus(ctx context.Context, s string) string {
	switch s {
	case importing.CoverageNew:
		return tr(ctx, "new")
	case importing.CoverageDuplicate:
		return tr(ctx, "duplicate, skipped")
	}
	return tr(ctx, "error, skipped")
}
