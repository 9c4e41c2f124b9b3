package pages

import (
	"fmt"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/views/components"
)

// weekly is the interactions per week by type as a stacked bar chart.
func weekly(c *crm.StartCharts, caption string) components.StackedBars {
	s := components.StackedBars{Caption: caption, Corner: "Week", Total: "Total"}
	for _, w := range c.Weeks {
		s.Columns = append(s.Columns, w.Format("2 Jan"))
	}
	for _, t := range c.Types {
		s.Stacks = append(s.Stacks, components.Stack{Name: components.Label(t), Values: c.PerWeek[t]})
	}
	return s
}

// stageBars is the funnel with this month's moves as notes.
func stageBars(c *crm.StartCharts) []components.HBar {
	var bars []components.HBar
	for _, s := range c.Stages {
		b := components.HBar{Label: components.Label(s.Stage), Value: s.Count}
		if s.Entered > 0 || s.Left > 0 {
			b.Note = fmt.Sprintf("this month: +%d in, −%d out", s.Entered, s.Left)
		}
		bars = append(bars, b)
	}
	return bars
}

// staleBars is the contacts past their cadence per owner.
func staleBars(c *crm.StartCharts) []components.HBar {
	var bars []components.HBar
	for _, o := range c.Stale {
		name := o.Owner
		if name == "" {
			name = "No owner"
		}
		bars = append(bars, components.HBar{Label: name, Value: o.Count, Class: "danger"})
	}
	return bars
}

// advocateBars is the advocates gained and lost per month, two bars a month.
func advocateBars(c *crm.StartCharts) []components.HBar {
	var bars []components.HBar
	for i, m := range c.Months {
		bars = append(bars,
			components.HBar{Label: m.Format("Jan 2006") + " gained", Value: c.Gained[i], Class: "ok"},
			components.HBar{Label: m.Format("Jan 2006") + " lost", Value: c.Lost[i], Class: "danger"})
	}
	return bars
}

// coverageBars is this month's coverage by kind, the reach as a note.
func coverageBars(c *crm.StartCharts) []components.HBar {
	var bars []components.HBar
	for _, k := range c.Coverage {
		bars = append(bars, components.HBar{Label: components.Label(k.Kind), Value: k.Count,
			Note: "reach " + components.Number(k.Reach), Class: "ok"})
	}
	return bars
}
