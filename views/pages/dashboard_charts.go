package pages

import (
	"context"
	"slices"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/locale"
	"github.com/rapport-crm/rapport/views/components"
)

// weeklyTypes is how many interaction types the weekly chart tells apart;
// the rest are summed as "other".
const weeklyTypes = 5

// weekly is the interactions per week by type as a stacked bar chart: the
// most frequent types, then the others as one.
func weekly(ctx context.Context, c *crm.StartCharts, caption string) components.StackedBars {
	s := components.StackedBars{Caption: caption, Corner: tr(ctx, "Week"), Total: tr(ctx, "Total")}
	for _, w := range c.Weeks {
		s.Columns = append(s.Columns, locale.DayMonth(ctx, w))
	}
	total := func(t string) int {
		n := 0
		for _, v := range c.PerWeek[t] {
			n += v
		}
		return n
	}
	types := slices.Clone(c.Types)
	slices.SortStableFunc(types, func(a, b string) int { return total(b) - total(a) })
	rest := components.Stack{Name: components.Label(ctx, "other"), Values: make([]int, len(c.Weeks))}
	for i, t := range types {
		if i < weeklyTypes || len(types) == weeklyTypes+1 {
			s.Stacks = append(s.Stacks, components.Stack{Name: components.Label(ctx, t), Values: c.PerWeek[t]})
			continue
		}
		for w, v := range c.PerWeek[t] {
			rest.Values[w] += v
		}
	}
	if len(types) > weeklyTypes+1 {
		s.Stacks = append(s.Stacks, rest)
	}
	return s
}

// stageBars is the funnel with this month's moves as notes.
func stageBars(ctx context.Context, c *crm.StartCharts) []components.HBar {
	var bars []components.HBar
	for _, s := range c.Stages {
		b := components.HBar{Label: components.Label(ctx, s.Stage), Value: s.Count}
		if s.Entered > 0 || s.Left > 0 {
			b.Note = tr(ctx, "this month: +{{.In}} in, −{{.Out}} out", "In", s.Entered, "Out", s.Left)
		}
		bars = append(bars, b)
	}
	return bars
}

// staleBars is the contacts past their cadence per owner.
func staleBars(ctx context.Context, c *crm.StartCharts) []components.HBar {
	var bars []components.HBar
	for _, o := range c.Stale {
		name := o.Owner
		if name == "" {
			name = tr(ctx, "No owner")
		}
		bars = append(bars, components.HBar{Label: name, Value: o.Count, Class: "danger"})
	}
	return bars
}

// advocateBars is the advocates gained and lost per month, a bar for each
// month and direction with any.
func advocateBars(ctx context.Context, c *crm.StartCharts) []components.HBar {
	var bars []components.HBar
	for i, m := range c.Months {
		if c.Gained[i] > 0 {
			bars = append(bars, components.HBar{Label: tr(ctx, "{{.Month}} gained", "Month", locale.Month(ctx, m)), Value: c.Gained[i], Class: "ok"})
		}
		if c.Lost[i] > 0 {
			bars = append(bars, components.HBar{Label: tr(ctx, "{{.Month}} lost", "Month", locale.Month(ctx, m)), Value: c.Lost[i], Class: "danger"})
		}
	}
	return bars
}

// coverageBars is this month's coverage by kind, the reach as a note.
func coverageBars(ctx context.Context, c *crm.StartCharts) []components.HBar {
	var bars []components.HBar
	for _, k := range c.Coverage {
		bars = append(bars, components.HBar{Label: components.Label(ctx, k.Kind), Value: k.Count,
			Note: tr(ctx, "reach {{.N}}", "N", components.Number(ctx, k.Reach)), Class: "ok"})
	}
	return bars
}
