package crm

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/ent/schema"

	"golang.org/x/text/unicode/norm"
)

// demoBase is the fixed "today" of the demo data: all dates lie before it.
var demoBase = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// demoCity is a place contacts live in, with its telephone prefixes.
type demoCity struct {
	name, country, area string
	weight              int
}

// demoCities are where contacts live, weighted; region is the city name.
var demoCities = []demoCity{
	{"Berlin", "DE", "30", 18}, {"München", "DE", "89", 14}, {"Hamburg", "DE", "40", 12},
	{"Köln", "DE", "221", 9}, {"Frankfurt am Main", "DE", "69", 8}, {"Stuttgart", "DE", "711", 6},
	{"Düsseldorf", "DE", "211", 6}, {"Leipzig", "DE", "341", 4}, {"Dresden", "DE", "351", 3},
	{"Hannover", "DE", "511", 4}, {"Nürnberg", "DE", "911", 3}, {"Wien", "AT", "1", 7}, {"Zürich", "CH", "44", 6},
}

// Telephone, web and mail conventions by country.
var (
	demoDialCode = map[string]string{"DE": "+49", "AT": "+43", "CH": "+41"}
	demoMobile   = map[string][]string{"DE": {"151", "160", "170", "171", "176"}, "AT": {"664", "676", "699"}, "CH": {"76", "78", "79"}}
	demoTLD      = map[string]string{"DE": ".de", "AT": ".at", "CH": ".ch"}
	demoMailers  = map[string][]string{"DE": {"gmx.de", "web.de", "t-online.de", "posteo.de", "gmail.com", "mailbox.org"},
		"AT": {"gmx.at", "aon.at", "gmail.com"}, "CH": {"bluewin.ch", "gmx.ch", "proton.me"}}
)

// Names. A last name may carry the language its bearer likely speaks as ":xx".
var (
	demoFemale = []string{"Anna", "Julia", "Katharina", "Sabine", "Petra", "Claudia", "Stefanie", "Lena", "Leonie",
		"Sophie", "Marie", "Hannah", "Laura", "Lisa", "Jana", "Miriam", "Bärbel", "Käthe", "Jördis", "Ulrike", "Franziska",
		"Susanne", "Birgit", "Heike", "Nicole", "Christina", "Gudrun", "Maren", "Frauke", "Zoë", "Ayşe", "Elif", "Yasmin",
		"Leila", "Agnieszka", "Małgorzata", "Chloé", "Amélie", "Inès", "Astrid", "Maja", "Lucía", "Giulia", "Linh",
		"Zeynep", "Noor", "Renée", "Ingrid", "Hélène", "Dörte"}
	demoMale = []string{"Jürgen", "Jörg", "Björn", "Sören", "Günther", "Uwe", "Klaus", "Thomas", "Michael", "Stefan",
		"Andreas", "Markus", "Tobias", "Florian", "Maximilian", "Lukas", "Felix", "Jonas", "Paul", "Matthias", "Rüdiger",
		"Gerd", "Hans-Peter", "Karl-Heinz", "Till", "Malte", "Jan", "Niklas", "François", "Łukasz", "Mehmet", "Murat",
		"Emre", "Omar", "Karim", "Tomasz", "Jiří", "Miloš", "Luca", "Matteo", "José", "Andrés", "Søren", "Lars", "Minh",
		"Raphaël", "Joël", "Aleksandar", "Kwame", "Hüseyin"}
	demoLast = []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
		"Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
		"Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Meier", "Lehmann", "Groß",
		"Köhler", "Böhm", "Krämer", "Jäger", "Weiß", "Fuß", "Strauß", "Hübner", "Möller", "Vogel", "Förster", "Bäumer",
		"von Thünen", "Müller-Lüdenscheidt", "Schmidt-Rößler", "Kühn", "Seiß", "Roßmann", "Dürr"}
	demoLastIntl = []string{"Özdemir:tr", "Yılmaz:tr", "Şahin:tr", "Çelik:tr", "Kaya:tr", "Nguyễn:vi", "Trần:vi",
		"Sørensen:da", "Jørgensen:da", "Håkansson:sv", "Kowalski:pl", "Wiśniewski:pl", "Nowak:pl", "Dvořák:cs",
		"Novák:cs", "Jovanović:sr", "Petrović:sr", "Rossi:it", "Bianchi:it", "García:es", "Fernández:es", "Dubois:fr",
		"Lefèvre:fr", "Moreau:fr", "Papadopoulos:el", "Haddad:ar", "Al-Sayed:ar", "Khalil:ar", "Mansour:ar",
		"O'Brien:en", "Gonçalves:pt", "Mendes:pt"}
)

// Topics, with the prefix that makes a compound ("Gesundheits"+"bloggerin") and a phrase for bios.
var (
	demoTopics = []string{"IT", "Gesundheit", "Mode", "Automobil", "Finanzen", "Reisen", "Food", "Nachhaltigkeit",
		"Sport", "Gaming", "Beauty", "Politik", "Wissenschaft", "Energie", "Immobilien", "Karriere"}
	demoTopicPrefix = []string{"Tech-", "Gesundheits", "Mode", "Auto", "Finanz", "Reise", "Food-", "Nachhaltigkeits",
		"Sport", "Gaming-", "Beauty-", "Politik", "Wissenschafts", "Energie", "Immobilien", "Karriere"}
	demoTopicPhrase = []string{"Digitalisierung, Software und Datenschutz", "Medizin, Prävention und Pflege",
		"Mode, Textilhandel und Streetwear", "Elektromobilität und die Autoindustrie", "Geldanlage, Banken und Fintechs",
		"Fernreisen, Bahnurlaub und Hotellerie", "regionale Küche und Ernährungstrends", "Klimaschutz und Kreislaufwirtschaft",
		"Fußball, Laufsport und Fitness", "Videospiele und E-Sport", "Kosmetik und Hautpflege", "Landes- und Bundespolitik",
		"Forschung und Hochschulen", "die Energiewende und Wärmepumpen", "Wohnungsmarkt und Baufinanzierung",
		"Arbeitswelt, Bewerbung und New Work"}
	demoTags = []string{"Messe 2026", "VIP", "Presseverteiler", "Launch Q1", "Weihnachtsaktion", "Influencer-Programm", "Newsletter"}
)

// demoOutlet is a known outlet: name, type, domain, region (a city, or "" when
// national) and the topic index it leans to (-1 for general).
type demoOutlet struct {
	name, typ, domain, region string
	topic                     int
}

// demoKnownOutlets are real outlets; the long tail is made up.
var demoKnownOutlets = []demoOutlet{
	{"Süddeutsche Zeitung", "newspaper", "sueddeutsche.de", "München", -1}, {"Münchner Merkur", "newspaper", "merkur.de", "München", -1},
	{"Abendzeitung München", "newspaper", "abendzeitung-muenchen.de", "München", -1},
	{"Hamburger Abendblatt", "newspaper", "abendblatt.de", "Hamburg", -1},
	{"Kölner Stadt-Anzeiger", "newspaper", "ksta.de", "Köln", -1}, {"Berliner Morgenpost", "newspaper", "morgenpost.de", "Berlin", -1},
	{"Der Tagesspiegel", "newspaper", "tagesspiegel.de", "Berlin", 11}, {"Frankfurter Rundschau", "newspaper", "fr.de", "Frankfurt am Main", -1},
	{"Stuttgarter Zeitung", "newspaper", "stuttgarter-zeitung.de", "Stuttgart", -1}, {"Rheinische Post", "newspaper", "rp-online.de", "Düsseldorf", -1},
	{"Leipziger Volkszeitung", "newspaper", "lvz.de", "Leipzig", -1}, {"Sächsische Zeitung", "newspaper", "saechsische.de", "Dresden", -1},
	{"Hannoversche Allgemeine", "newspaper", "haz.de", "Hannover", -1}, {"Nürnberger Nachrichten", "newspaper", "nn.de", "Nürnberg", -1},
	{"Der Standard", "newspaper", "derstandard.at", "Wien", -1}, {"Tages-Anzeiger", "newspaper", "tagesanzeiger.ch", "Zürich", -1},
	{"c't", "trade", "heise.de", "Hannover", 0}, {"t3n", "trade", "t3n.de", "Hannover", 0}, {"Ärzte Zeitung", "trade", "aerztezeitung.de", "", 1},
	{"Automobilwoche", "trade", "automobilwoche.de", "München", 3}, {"Textilwirtschaft", "trade", "textilwirtschaft.de", "Frankfurt am Main", 2},
	{"Finanz-Szene", "trade", "finanz-szene.de", "Frankfurt am Main", 4}, {"Immobilien Zeitung", "trade", "iz.de", "", 14},
	{"energate messenger", "trade", "energate-messenger.de", "", 13}, {"Gesundheit kompakt", "magazine", "gesundheit-kompakt.de", "", 1},
	{"Reisewelt Magazin", "magazine", "reisewelt-magazin.de", "Hamburg", 5}, {"Stil & Stoff", "magazine", "stilundstoff.de", "Düsseldorf", 2},
	{"GameZone DACH", "online", "gamezone-dach.de", "Köln", 9}, {"Zukunft Energie", "online", "zukunft-energie.de", "Berlin", 13},
	{"Karriereblick", "online", "karriereblick.de", "", 15}, {"Kochwerk Blog", "blog", "kochwerk-blog.de", "Hamburg", 6},
	{"Grünes Leben", "blog", "gruenes-leben.de", "Leipzig", 7}, {"Laufend gesund", "blog", "laufend-gesund.de", "München", 8},
	{"Techgeflüster", "youtube", "techgefluester.de", "Berlin", 0}, {"Schönheitssalon TV", "youtube", "schoenheitssalon.tv", "Köln", 10},
	{"Pixel & Pad", "youtube", "pixelundpad.de", "Stuttgart", 9}, {"Wissen to go", "podcast", "wissen-to-go.de", "Berlin", 12},
	{"Geldgespräch", "podcast", "geldgespraech.de", "Frankfurt am Main", 4}, {"Politikteil", "podcast", "politikteil.de", "Berlin", 11},
	{"Finanz-Briefing", "newsletter", "finanz-briefing.de", "Frankfurt am Main", 4}, {"Digitalbrief", "newsletter", "digitalbrief.de", "", 0},
	{"Radio Hamburg", "radio", "radiohamburg.de", "Hamburg", -1}, {"BR24", "tv", "br.de", "München", -1},
	{"Kontakt & Klartext PR", "agency", "klartext-pr.de", "Hamburg", -1}, {"Stadtwerke Süd", "company", "stadtwerke-sued.de", "München", 13},
}

// Parts of generated outlet names for the long tail.
var (
	demoPaperNouns = []string{"Anzeiger", "Rundschau", "Tagblatt", "Kurier", "Nachrichten", "Zeitung", "Wochenblatt",
		"Stadtmagazin", "Bote", "Echo", "Post", "Allgemeine"}
	// demoCityAdj follows demoCities.
	demoCityAdj = []string{"Berliner", "Münchner", "Hamburger", "Kölner", "Frankfurter", "Stuttgarter", "Düsseldorfer",
		"Leipziger", "Dresdner", "Hannoveraner", "Nürnberger", "Wiener", "Zürcher"}
	// demoTopicFormat makes topic media: Finanz+Markt → Finanzmarkt.
	demoTopicFormat = map[string][]string{"magazine": {"Magazin", "Journal", "Welt", "Spiegel"},
		"trade": {"Woche", "Wirtschaft", "Markt", "Report", "Praxis", "Brief"}, "online": {"News", "Portal", "Insider", "Radar"},
		"newsletter": {"Briefing", "Update", "Post", "Kompass"}, "podcast": {"Talk", "Funk", "Gespräch", "Podcast"}}
	// demoOwnFormat makes personal channels (Annas Reiseblog) and firm names (Krämer PR).
	demoOwnFormat = map[string][]string{"blog": {"Blog", "Notizen", "Tagebuch"}, "youtube": {"TV", "Kanal", "Studio"},
		"podcast": {"Podcast", "Pod", "Gespräche"}, "agency": {"Kommunikation", "PR", "Media Relations"}, "company": {"GmbH", "AG", "Gruppe"}}
	// demoOutletSuffixes tell apart outlets whose made-up names are taken.
	demoOutletSuffixes = []string{"Nord", "Süd", "West", "Ost", "Rhein-Main", "Rhein-Ruhr", "Bayern", "Sachsen", "Schweiz",
		"Österreich", "Plus", "Digital", "Kompakt", "Aktuell", "Extra"}
)

// demoKind is a contact kind with its weight, titles (male, female), the bio
// noun after a topic prefix, and the outlet types it works for, weighted.
type demoKind struct {
	name          string
	weight        int
	titles        [][2]string
	noun          [2]string
	outletTypes   []string
	outletWeights []int
}

// demoKinds: mostly journalists, then bloggers, creators, advocates, analysts, customers.
var demoKinds = []demoKind{
	{"journalist", 55, [][2]string{{"Redakteur", "Redakteurin"}, {"Ressortleiter", "Ressortleiterin"}, {"Chefredakteur", "Chefredakteurin"},
		{"Freier Journalist", "Freie Journalistin"}, {"Volontär", "Volontärin"}, {"Korrespondent", "Korrespondentin"},
		{"Online-Redakteur", "Online-Redakteurin"}},
		[2]string{"Journalist", "Journalistin"}, []string{"newspaper", "magazine", "trade", "online", "tv", "radio"}, []int{35, 20, 20, 15, 5, 5}},
	{"blogger", 15, [][2]string{{"Blogger", "Bloggerin"}, {"Autor", "Autorin"}},
		[2]string{"Blogger", "Bloggerin"}, []string{"blog", "online", "newsletter"}, []int{70, 15, 15}},
	{"creator", 12, [][2]string{{"Podcast-Host", "Podcast-Host"}, {"Tech-YouTuber", "Tech-YouTuberin"},
		{"Content Creator", "Content Creatorin"}, {"Streamer", "Streamerin"}},
		[2]string{"YouTuber", "YouTuberin"}, []string{"youtube", "podcast", "blog"}, []int{50, 35, 15}},
	{"advocate", 7, [][2]string{{"Markenbotschafter", "Markenbotschafterin"}, {"Community-Manager", "Community-Managerin"}},
		[2]string{"Enthusiast", "Enthusiastin"}, []string{"company", "blog", "agency"}, []int{50, 30, 20}},
	{"analyst", 6, [][2]string{{"Branchenanalyst", "Branchenanalystin"}, {"Senior Analyst", "Senior Analyst"}},
		[2]string{"Analyst", "Analystin"}, []string{"company", "agency", "trade"}, []int{40, 30, 30}},
	{"customer", 5, [][2]string{{"Einkaufsleiter", "Einkaufsleiterin"}, {"Geschäftsführer", "Geschäftsführerin"},
		{"Leiter Kommunikation", "Leiterin Kommunikation"}},
		[2]string{"Einkäufer", "Einkäuferin"}, []string{"company", "agency"}, []int{80, 20}},
}

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

// demoUserList are the demo staff accounts; the first is the admin.
var demoUserList = []struct{ email, name, role string }{
	{"admin@rapport.test", "Sabine Hartmann", RoleAdmin}, {"katrin.vogel@rapport.test", "Katrin Vogel", RoleManager},
	{"thomas.becker@rapport.test", "Thomas Becker", RoleManager}, {"leonie.schaefer@rapport.test", "Leonie Schäfer", RoleStaff},
	{"murat.yilmaz@rapport.test", "Murat Yılmaz", RoleStaff},
}

// Outlet types of the generated long tail, their median audience and label.
var (
	demoOutletTypes = []string{"newspaper", "magazine", "trade", "online", "blog", "youtube", "podcast", "newsletter", "tv",
		"radio", "agency", "company"}
	demoOutletWeights = []int{15, 12, 15, 12, 14, 9, 9, 5, 2, 3, 2, 4}
	demoAudience      = map[string]float64{"newspaper": 80000, "magazine": 40000, "trade": 15000, "online": 100000, "blog": 8000,
		"youtube": 30000, "podcast": 10000, "newsletter": 5000, "tv": 300000, "radio": 150000}
	demoOutletLabel = map[string]string{"newspaper": "Tageszeitung", "magazine": "Magazin", "trade": "Fachmedium", "online": "Onlinemedium",
		"blog": "Blog", "youtube": "YouTube-Kanal", "podcast": "Podcast", "newsletter": "Newsletter", "tv": "Fernsehsender",
		"radio": "Radiosender", "agency": "PR-Agentur", "company": "Unternehmen"}
	demoOwnerWeights = []int{5, 15, 15, 32, 33} // by demoUserList
	demoSideRoles    = [][2]string{{"Gastautor", "Gastautorin"}, {"Kolumnist", "Kolumnistin"},
		{"Freier Mitarbeiter", "Freie Mitarbeiterin"}}
	demoConsentSources  = []string{"Webformular", "Messe"}
	demoStages          = []string{"unknown", "aware", "engaged", "supporter", "advocate"}
	demoStageShare      = []float64{0.30, 0.55, 0.80, 0.92, 1} // cumulative
	demoPlatformWeights = demoWeightsFor(schema.Platforms, map[string]int{"x": 20, "instagram": 18, "linkedin": 18,
		"youtube": 12, "tiktok": 8, "blog": 7, "podcast": 5, "facebook": 3, "xing": 3, "bluesky": 3, "mastodon": 2,
		"newsletter": 2, "twitch": 1})
)

// demoFill replaces {x} placeholders by vals["x"] in one pass.
func demoFill(tmpl string, vals map[byte]string) string {
	if !strings.Contains(tmpl, "{") {
		return tmpl
	}
	var b strings.Builder
	for i := 0; i < len(tmpl); i++ {
		if tmpl[i] == '{' && i+2 < len(tmpl) && tmpl[i+2] == '}' {
			b.WriteString(vals[tmpl[i+1]])
			i += 2
			continue
		}
		b.WriteByte(tmpl[i])
	}
	return b.String()
}

var demoFoldSpecial = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "æ", "ae", "ø", "o", "å", "a",
	"ł", "l", "đ", "d", "ı", "i", "œ", "oe")

// demoFold turns a name into lower-case ASCII for addresses and handles:
// Müller → mueller, Łukasz → lukasz, Nguyễn → nguyen. Only a-z, 0-9 and the
// characters in keep survive; spaces become keep's first character, if any.
func demoFold(s, keep string) string {
	s = demoFoldSpecial.Replace(strings.ToLower(s))
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', strings.ContainsRune(keep, r):
			b.WriteRune(r)
		case r == ' ' && keep != "":
			b.WriteByte(keep[0])
		}
	}
	return b.String()
}

// demoWeighted picks an index with probability proportional to its weight.
func demoWeighted(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := r.IntN(total)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// demoOf picks one element of s.
func demoOf[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// demoWeightsFor returns the weights of names in their order; a name without a weight gets 0.
func demoWeightsFor(names []string, weights map[string]int) []int {
	out := make([]int, len(names))
	for i, n := range names {
		out[i] = weights[n]
	}
	return out
}

// demoCompound joins a topic prefix and a noun: Gesundheits+Bloggerin →
// Gesundheitsbloggerin, Tech-+YouTuber → Tech-YouTuber.
// A noun with inner capitals gets a hyphen: Gesundheits-YouTuberin.
func demoCompound(prefix, noun string) string {
	switch {
	case strings.HasSuffix(prefix, "-"):
		return prefix + noun
	case strings.ToLower(noun[1:]) != noun[1:]:
		return prefix + "-" + noun
	}
	return prefix + strings.ToLower(noun)
}

// demoContact is one generated contact with its relations; indexes point into
// the demo pools and the generated outlets.
type demoContact struct {
	kind, first, last, title, bio, stage, basis, consent, source string
	city                                                         demoCity
	langs                                                        []string
	phones                                                       []schema.Phone
	owner                                                        int
	dnc                                                          bool
	reach                                                        int64
	consentAt, lastAt                                            *time.Time
	created, updated                                             time.Time
	emails                                                       [][2]string // address, type
	channels                                                     []demoChannel
	jobs                                                         []demoJob
	topics, tags                                                 []int
}

// demoChannel is a generated social channel.
type demoChannel struct {
	platform, handle string
	followers        int64
	rate             *float64
	checked          time.Time
}

// demoJob is a generated employment; end is nil for a current job.
type demoJob struct {
	outlet int
	role   string
	start  time.Time
	end    *time.Time
}

// contact generates contact i; rank orders the contacts for the lawful basis.
func (g *demoGen) contact(r *rand.Rand, i, rank int) demoContact {
	ki, gi := demoWeighted(r, g.kindWeights), r.IntN(2) // gi: 0 male, 1 female
	k := demoKinds[ki]
	c := demoContact{kind: k.name, stage: g.stage[i], owner: demoWeighted(r, demoOwnerWeights), title: demoOf(r, k.titles)[gi]}
	c.first = demoOf(r, [][]string{demoMale, demoFemale}[gi])
	c.last = demoOf(r, demoLast)
	var lang string
	if r.IntN(100) < 30 {
		c.last, lang, _ = strings.Cut(demoOf(r, demoLastIntl), ":")
	}
	o := g.pickOutlet(r, ki)
	ci, ok := g.cityIndex[g.outlets[o].region]
	if !ok || r.IntN(100) >= 75 {
		ci = demoWeighted(r, g.cityWeights)
	}
	c.city = demoCities[ci]
	c.topics = []int{r.IntN(len(demoTopics))}
	if t := g.outlets[o].topic; t >= 0 && r.IntN(100) < 70 {
		c.topics[0] = t
	}
	c.topics = demoDistinct(r, c.topics, 1+r.IntN(3), len(demoTopics))
	c.tags = demoDistinct(r, nil, demoWeighted(r, []int{50, 35, 15}), len(demoTags))
	if k.name == "journalist" && r.IntN(100) < 40 {
		c.title += " " + demoTopics[c.topics[0]]
	}
	// Jobs: the current one, sometimes a side job or a former one.
	start := demoBase.AddDate(0, 0, -365-r.IntN(14*365))
	c.jobs = []demoJob{{outlet: o, role: c.title, start: start}}
	if o2 := g.pickOutlet(r, ki); o2 != o && r.IntN(100) < 30 {
		j := demoJob{outlet: o2, role: demoOf(r, demoSideRoles)[gi], start: demoBase.AddDate(0, 0, -30-r.IntN(5*365))}
		if r.IntN(2) == 0 {
			end := start.AddDate(0, 0, -r.IntN(90))
			j.role, j.start, j.end = c.title, end.AddDate(-1-r.IntN(6), 0, 0), &end
		}
		c.jobs = append(c.jobs, j)
	}
	// E-mail: first.last at the outlet, freelancers at a mail provider; sometimes a private one.
	first, last := demoFold(c.first, "-"), demoFold(c.last, "-")
	mailer := demoMailers[c.city.country]
	if strings.HasPrefix(c.title, "Frei") {
		c.emails = [][2]string{{g.uniqueEmail(first+"."+last, demoOf(r, mailer)), "private"}}
	} else {
		c.emails = [][2]string{{g.uniqueEmail(first+"."+last, g.outlets[o].domain), "work"}}
	}
	if r.IntN(100) < 35 {
		c.emails = append(c.emails, [2]string{g.uniqueEmail(first[:1]+last, demoOf(r, mailer)), "private"})
	}
	dial := demoDialCode[c.city.country]
	if np := demoWeighted(r, []int{30, 45, 25}); np > 0 {
		c.phones = append(c.phones, schema.Phone{Number: dial + " " + c.city.area + " " + demoDigits(r, 7), Label: "work"})
		if np > 1 {
			c.phones = append(c.phones, schema.Phone{Number: dial + " " + demoOf(r, demoMobile[c.city.country]) + " " + demoDigits(r, 8), Label: "mobile"})
		}
	}
	c.langs = []string{"de"}
	if lang != "" && r.IntN(100) < 60 {
		c.langs = append(c.langs, lang)
	}
	if lang != "en" && r.IntN(100) < 40 {
		c.langs = append(c.langs, "en")
	}
	g.channels(r, &c, i)
	c.bio = g.bio(r, &c, k, gi)
	// Dates: created before the first interaction; consent in between.
	c.created = demoAgo(r, 1, 4*365)
	c.updated = c.created
	if g.count[i] > 0 {
		c.created = time.Unix(g.first[i], 0).UTC().AddDate(0, 0, -1-r.IntN(120))
		last := time.Unix(g.last[i], 0).UTC()
		c.lastAt, c.updated = &last, last
	}
	c.basis, c.consent = "legitimate_interest", "none"
	switch q := (float64(rank) + 0.5) / float64(g.n); {
	case q < 0.01:
		c.dnc = true
	case q < 0.80:
	case q < 0.95:
		c.basis, c.consent = "consent", "given"
	case q < 0.98:
		c.basis = "contract"
	case q < 0.99:
		c.basis, c.consent, c.dnc = "none", "withdrawn", true
	default:
		c.basis, c.consent, c.dnc = "none", "objected", true
	}
	if c.consent == "given" || c.consent == "withdrawn" {
		at := c.created.Add(time.Duration(r.Int64N(int64(demoBase.Sub(c.created))))).Truncate(time.Second)
		c.consentAt, c.source = &at, demoOf(r, demoConsentSources)
		if at.After(c.updated) {
			c.updated = at
		}
	}
	return c
}

// pickOutlet picks an outlet of a type that kind ki works for, big ones more often.
func (g *demoGen) pickOutlet(r *rand.Rand, ki int) int {
	w := g.kindOutletWeights[ki]
	if slices.Max(w) == 0 {
		return r.IntN(len(g.outlets))
	}
	list := g.byType[demoKinds[ki].outletTypes[demoWeighted(r, w)]]
	u := r.Float64()
	return list[int(float64(len(list))*u*u)]
}

// channels adds 0–3 channels with log-normal followers (median about 2,000).
func (g *demoGen) channels(r *rand.Rand, c *demoContact, i int) {
	n := demoWeighted(r, []int{25, 35, 28, 12})
	switch c.kind {
	case "blogger", "creator":
		n = max(n, 1)
	}
	for len(c.channels) < n {
		p := schema.Platforms[demoWeighted(r, demoPlatformWeights)]
		switch {
		case len(c.channels) == 0 && c.kind == "blogger":
			p = "blog"
		case len(c.channels) == 0 && c.kind == "creator":
			p = demoOf(r, []string{"youtube", "podcast", "tiktok", "instagram"})
		}
		if slices.ContainsFunc(c.channels, func(ch demoChannel) bool { return ch.platform == p }) {
			continue
		}
		mu := math.Log(2000)
		if c.kind == "creator" {
			mu++
		}
		ch := demoChannel{platform: p, handle: g.handle(r, p, c.first, c.last, i),
			followers: int64(math.Exp(mu + 1.7*r.NormFloat64())), checked: demoAgo(r, 1, 90)}
		if r.IntN(100) < 60 {
			rate := 0.06 * math.Pow(float64(ch.followers)+100, -0.12) * math.Exp(0.35*r.NormFloat64())
			rate = math.Round(min(0.3, max(0.002, rate))*10000) / 10000
			ch.rate = &rate
		}
		c.reach += ch.followers
		c.channels = append(c.channels, ch)
	}
}

// handle makes a normalised handle, unique per platform: when it is taken, the
// contact's number goes in (base handles have no digits, so that is unique).
func (g *demoGen) handle(r *rand.Rand, platform, first, last string, i int) string {
	f, l := demoFold(first, ""), demoFold(last, "")
	h := []string{f + l, f + "_" + l, f[:1] + l, l + "_" + f}[r.IntN(4)]
	switch platform {
	case "linkedin", "xing":
		h = f + "-" + l
	case "blog":
		h = f + "-" + l + ".de"
	case "podcast":
		h = l + "-podcast.de"
	case "newsletter":
		h = f + l + ".substack.com"
	case "mastodon":
		h += "@" + demoOf(r, []string{"mastodon.social", "chaos.social", "norden.social"})
	case "bluesky":
		h += ".bsky.social"
	}
	if g.handles[platform+" "+h] {
		cut, sep := strings.IndexAny(h, ".@"), ""
		if cut < 0 {
			cut = len(h)
		}
		if platform == "blog" || platform == "podcast" || platform == "newsletter" {
			sep = "-"
		}
		h = h[:cut] + sep + strconv.Itoa(i+1) + h[cut:]
	}
	g.handles[platform+" "+h] = true
	return h
}

// bio composes a German bio of 20–60 words.
func (g *demoGen) bio(r *rand.Rand, c *demoContact, k demoKind, gi int) string {
	vals := map[byte]string{'o': g.outlets[c.jobs[0].outlet].name, 't': demoTopicPhrase[c.topics[0]], 'c': c.city.name}
	parts := []string{demoCompound(demoTopicPrefix[c.topics[0]], k.noun[gi]) + " aus " + c.city.name + ".", demoFill(demoOf(r, demoBioRole), vals)}
	if slices.Contains(c.langs, "ar") {
		parts = append(parts, demoOf(r, demoBioArabic))
	}
	words, target := len(strings.Fields(strings.Join(parts, " "))), 20+r.IntN(41)
	for _, j := range r.Perm(len(demoBioExtra)) {
		if s := demoFill(demoBioExtra[j], vals); words < target && words+len(strings.Fields(s)) <= 60 {
			parts, words = append(parts, s), words+len(strings.Fields(s))
		}
	}
	if words < 60 && r.IntN(100) < 12 {
		parts = append(parts, demoOf(r, demoBioEmoji))
	}
	return strings.Join(parts, " ")
}

// uniqueEmail returns local@domain, numbered when the address is taken.
func (g *demoGen) uniqueEmail(local, domain string) string {
	a := local + "@" + domain
	for n := 2; g.emails[a]; n++ {
		a = local + strconv.Itoa(n) + "@" + domain
	}
	g.emails[a] = true
	return a
}

// demoDistinct adds distinct random indexes below n to have until it holds want.
func demoDistinct(r *rand.Rand, have []int, want, n int) []int {
	for len(have) < want {
		if x := r.IntN(n); !slices.Contains(have, x) {
			have = append(have, x)
		}
	}
	return have
}

// demoDigits returns n random digits without a leading zero.
func demoDigits(r *rand.Rand, n int) string {
	low := int(math.Pow10(n - 1))
	return strconv.Itoa(low + r.IntN(9*low))
}

// demoMakeOutlets returns n outlets: the known ones (shuffled), then made-up
// ones with unique names.
func demoMakeOutlets(r *rand.Rand, n int) []demoOutlet {
	out := slices.Clone(demoKnownOutlets)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	if n <= len(out) {
		return out[:n]
	}
	seen := map[string]bool{}
	for _, o := range out {
		seen[o.name] = true
	}
	weights := make([]int, len(demoCities))
	for i, c := range demoCities {
		weights[i] = c.weight
	}
	for len(out) < n {
		typ := demoOutletTypes[demoWeighted(r, demoOutletWeights)]
		o, tld := demoNewOutlet(r, typ, weights)
		for try := 0; seen[o.name] && try < 10; try++ {
			o, tld = demoNewOutlet(r, typ, weights)
		}
		base := o.name
		for _, k := range r.Perm(len(demoOutletSuffixes)) {
			if !seen[o.name] {
				break
			}
			o.name = base + " " + demoOutletSuffixes[k]
		}
		for k := 2; seen[o.name]; k++ {
			o.name = base + " " + strconv.Itoa(k)
		}
		seen[o.name] = true
		o.domain = demoFold(o.name, "-") + tld
		out = append(out, o)
	}
	return out
}

// demoNewOutlet makes up an outlet of type typ for the long tail — a local
// paper or station, a topic medium, an agency or company, someone's own
// channel — and the top-level domain of its website.
func demoNewOutlet(r *rand.Rand, typ string, cityWeights []int) (demoOutlet, string) {
	ci, t := demoWeighted(r, cityWeights), r.IntN(len(demoTopics))
	city := demoCities[ci]
	o := demoOutlet{typ: typ, region: city.name, topic: t}
	switch formats := demoTopicFormat[typ]; {
	case typ == "newspaper":
		o.name, o.topic = demoCityAdj[ci]+" "+demoOf(r, demoPaperNouns), -1
	case typ == "radio" || typ == "tv":
		o.name, o.topic = map[string]string{"radio": "Radio ", "tv": "TV "}[typ]+city.name+" "+demoOf(r, []string{"Eins", "Plus", "Live", "Aktuell"}), -1
	case typ == "agency" || typ == "company":
		o.name = demoOf(r, demoLast) + " " + demoOf(r, demoOwnFormat[typ])
	case formats != nil && (typ != "podcast" || r.IntN(2) == 0):
		o.name = demoCompound(demoTopicPrefix[t], demoOf(r, formats))
		if r.IntN(3) > 0 {
			o.region = "" // national
		}
	default: // blog, youtube, podcast of one person
		who := demoOf(r, [][]string{demoMale, demoFemale}[r.IntN(2)])
		if strings.HasSuffix(who, "s") || strings.HasSuffix(who, "š") || strings.HasSuffix(who, "z") {
			who += "’"
		} else {
			who += "s"
		}
		o.name = who + " " + demoCompound(demoTopicPrefix[t], demoOf(r, demoOwnFormat[typ]))
	}
	return o, demoTLD[city.country]
}

// demoAgo returns a time of day (7 to 18 o'clock UTC) minDays (at least 1) to
// minDays+spanDays days before demoBase.
func demoAgo(r *rand.Rand, minDays, spanDays int) time.Time {
	return demoBase.AddDate(0, 0, -minDays-r.IntN(spanDays)).Add(time.Duration(7*3600+r.IntN(11*3600)) * time.Second)
}
