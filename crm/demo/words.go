package demo

import (
	"github.com/rapport-crm/rapport/ent/schema"
)

// Bio sentences: {o} outlet, {t} topic phrase, {c} city.
var (
	demoBioRole = []string{"Arbeitet bei {o} und schreibt über {t}.", "Schreibt für {o} über {t}.",
		"Verantwortet bei {o} die Themen {t}.", "Seit Jahren für {o} unterwegs, Schwerpunkt {t}."}
	demoBioExtra = []string{"Bevorzugt kurze Pitches mit klaren Zahlen.", "Keine Anrufe vor 10 Uhr, am liebsten per E-Mail.",
		"Moderiert regelmäßig Panels auf Fachmessen.", "Studierte Publizistik in Mainz und volontierte bei einer Regionalzeitung.",
		"Interessiert sich besonders für Start-ups aus der DACH-Region.", "Legt Wert auf exklusive Daten und gute O-Töne.",
		"Reagiert schnell auf Direktnachrichten.", "Mag keine Pressemitteilungen ohne Bildmaterial.",
		"Ist offen für Produkttests, bleibt aber unabhängig im Urteil.", "Lebt mit Familie und Hund am Stadtrand von {c}.",
		"Sitzt in der Jury eines Branchenpreises.", "Berichtet auch über Verbraucherthemen.", "Hat eine sehr engagierte Community.",
		"Veröffentlicht jede Woche neue Beiträge.", "Hat zwei Sachbücher veröffentlicht.", "Fährt in der Freizeit leidenschaftlich Rennrad.",
		"Schätzt Hintergrundgespräche unter drei.", "Plant Themen meist vier Wochen im Voraus.", "Pressereisen bitte nur mit ausreichend Vorlauf.",
		"Kennt die Szene in {c} wie kaum jemand sonst.", "Ist auf Veranstaltungen gut persönlich zu erreichen."}
	demoBioEmoji  = []string{"☕", "🚲", "📚", "🎧", "🌱", "📷", "🏔️"}
	demoBioArabic = []string{"أكتب عن التكنولوجيا والثقافة.", "مرحبا بالتواصل باللغتين العربية والألمانية."}
)

// Interaction texts by type: {p} product, {t} topic, {o} outlet, {e} event.
var (
	demoTypeWeights = demoWeightsFor(schema.InteractionTypes, map[string]int{"email": 30, "call": 16, "pitch": 13,
		"meeting": 10, "dm": 8, "coverage": 7, "event": 6, "comment": 4, "note": 3, "mention": 3})
	demoInbound  = map[string]int{"email": 40, "call": 30, "dm": 50, "coverage": 100, "comment": 100, "mention": 100} // percent
	demoProducts = []string{"Rapport Cloud", "SmartHome Hub X2", "Bio-Müsli Sonnenkorn", "E-Bike Stadtflitzer",
		"Hautpflegeserie Aqua", "Banking-App Kontofix", "Wärmepumpe Eisbär 9", "Laufschuh Föhn"}
	demoEvents   = []string{"IFA", "re:publica", "Frankfurter Buchmesse", "ITB Berlin", "Hannover Messe", "gamescom", "DMEXCO", "Messe 2026"}
	demoSubjects = map[string][]string{
		"email": {"Pressemitteilung: {p} startet in Deutschland", "Rückfrage zu Ihrem Beitrag über {t}", "Bildmaterial zu {p}",
			"Follow-up: Testgerät {p}", "Neue Studie zu {t}"},
		"call":     {"Telefonat: Themenplanung {t}", "Rückruf wegen {p}", "Kurzes Telefonat zur {e}", "Abstimmung Interviewtermin"},
		"pitch":    {"Exklusiv für {o}: {p}", "Themenvorschlag: {t} im Wandel", "Pitch: Neue Zahlen zu {t}"},
		"meeting":  {"Mittagessen mit der Redaktion von {o}", "Redaktionsbesuch bei {o}", "Hintergrundgespräch {t}", "Produktdemo {p}"},
		"dm":       {"DM: Frage zu {p}", "Nachricht nach der {e}", "Kurze Nachricht zu {t}"},
		"coverage": {"{o}: {p} im Test", "Erwähnung von {p} in {o}", "Beitrag über {t} erschienen"},
		"event":    {"Treffen auf der {e}", "Presse-Event zu {p}", "Pressefrühstück zur {e}"},
		"comment":  {"Kommentar zum Post über {p}", "Reaktion auf die Ankündigung von {p}"},
		"note":     {"Notiz: bevorzugt E-Mail", "Notiz: neue Position bei {o}", "Notiz: Interesse an {t}"},
		"mention":  {"Erwähnung von {p} auf Social Media", "Post zur {e} erwähnt uns"},
	}
	demoBodies = []string{"Vielen Dank für das freundliche Gespräch.", "Anbei die versprochenen Unterlagen und Fotos in Druckqualität.",
		"Interesse vor allem an Zahlen aus der DACH-Region.", "Wünscht ein Testgerät für vier Wochen.",
		"Rückmeldung bis Ende der Woche zugesagt.", "Das Thema {t} passt gut in die Planung für das nächste Quartal.",
		"Termin für ein Interview mit unserer Geschäftsführung vereinbart.", "Bitte keine Anhänge über 10 MB schicken.",
		"Der Artikel erscheint voraussichtlich in der Wochenendausgabe von {o}.", "Nachfassen nach der {e}.",
		"Feedback zu {p} war überwiegend positiv.", "Kritik am Preis von {p}, sonst sehr zufrieden.",
		"Wünscht sich Ansprechpartner aus der Entwicklung.", "Anfrage geht an die Kollegin im Ressort {t}."}
)
