package demo

import "github.com/rapport-crm/rapport/ent/schema"

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
