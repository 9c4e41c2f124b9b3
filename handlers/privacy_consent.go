package handlers

import (
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// Consent records a change of lawful basis, consent or do-not-contact, or an
// Art. 14 notice, on the contact of the path: through the contact writer,
// which writes the consent event and refuses a lift by someone who may not.
func (h *Contacts) Consent(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	f := pages.ConsentForm{LawfulBasis: c.FormValue("lawful_basis"), ConsentState: c.FormValue("consent_state"),
		Source: c.FormValue("consent_source"), Evidence: strings.TrimSpace(c.FormValue("consent_evidence")),
		WordingVersion: strings.TrimSpace(c.FormValue("wording_version")), NoticeDate: c.FormValue("notice_date"),
		NoticeMethod: strings.TrimSpace(c.FormValue("notice_method")), DoNotContact: c.FormValue("do_not_contact") != ""}
	dnc := f.DoNotContact
	ch := crm.ConsentChange{LawfulBasis: f.LawfulBasis, ConsentState: f.ConsentState, Source: f.Source, DoNotContact: &dnc,
		Note: crm.PrivacyNote{Evidence: f.Evidence, WordingVersion: f.WordingVersion}}
	if f.NoticeDate != "" {
		at, err := time.ParseInLocation(time.DateOnly, f.NoticeDate, time.Local)
		if err != nil {
			return h.consentInvalid(c, id, map[string]string{"notice_date": "Give a date."}, f)
		}
		ch.Note.Notice = &crm.Notice{At: at.UTC(), Method: f.NoticeMethod}
	}
	err = h.writer.RecordConsent(c.Request().Context(), id, ch)
	if fields := fieldErrors(err); fields != nil {
		return h.consentInvalid(c, id, fields, f)
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.ContactShow, id)+"#consent", "Recorded.")
}

// LiftConsent lifts do-not-contact and an objection (managers, with a reason).
func (h *Contacts) LiftConsent(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(c.FormValue("lift_reason"))
	no := false
	ch := crm.ConsentChange{DoNotContact: &no, Note: crm.PrivacyNote{Reason: reason}}
	card, err := crm.LoadContactCard(c.Request().Context(), h.client, id)
	if err != nil {
		return err
	}
	if !card.DoNotContact && string(card.ConsentState) != "objected" {
		return crm.Errorf(crm.EInvalid, "This contact is not marked do-not-contact and has not objected: nothing to lift.")
	}
	if string(card.ConsentState) == "objected" {
		ch.ConsentState = "none"
	}
	err = h.writer.RecordConsent(c.Request().Context(), id, ch)
	if fields := fieldErrors(err); fields != nil {
		return h.consentInvalid(c, id, fields, pages.ConsentForm{LiftReason: reason})
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.ContactShow, id)+"#consent", "Do-not-contact and objection lifted.")
}

func (h *Contacts) consentInvalid(c echo.Context, id int, fields map[string]string, f pages.ConsentForm) error {
	return h.contactInvalid(c, id, fields, func(p *pages.ContactProps) {
		lift := f.LiftReason
		if f.LawfulBasis != "" {
			p.ConsentForm = f
		}
		p.ConsentForm.LiftReason = lift
	})
}
