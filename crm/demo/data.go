package demo

import "github.com/rapport-crm/rapport/crm"

// demoCity is a place contacts live in, with its telephone prefixes.
type demoCity struct {
	name, country, area string
	weight              int
}

// demoCities are where contacts live, weighted; the place rule derives
// their region (München → Bayern).
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

// demoUserList are the demo staff accounts; the first is the admin.
var demoUserList = []struct{ email, name, role string }{
	{"admin@rapport.test", "Sabine Hartmann", crm.RoleAdmin}, {"katrin.vogel@rapport.test", "Katrin Vogel", crm.RoleManager},
	{"thomas.becker@rapport.test", "Thomas Becker", crm.RoleManager}, {"leonie.schaefer@rapport.test", "Leonie Schäfer", crm.RoleStaff},
	{"murat.yilmaz@rapport.test", "Murat Yılmaz", crm.RoleStaff},
}
