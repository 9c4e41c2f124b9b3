package pages

import (
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/views"
)

// NewDashboardProps are the props of the start page p at now.
func NewDashboardProps(m views.PageMeta, p *crm.StartPage, now time.Time) DashboardProps {
	s := p.Stats
	props := DashboardProps{Meta: m, Mine: p.Mine, Team: p.Team, Contacts: s.Contacts, Outlets: s.Outlets,
		Interactions: s.Interactions, Stale: s.Stale, Now: now, Work: p.Work}
	for _, r := range s.Recent {
		props.Recent = append(props.Recent, RecentInteraction{ContactID: r.ContactID, ContactName: r.ContactName,
			Type: r.Type, Subject: r.Subject, Author: r.Author, OccurredAt: r.OccurredAt})
	}
	return props
}
