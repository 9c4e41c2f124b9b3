package importing

import (
	"strings"
)

// card collects one vCard's properties into the cells of vcardHeader.
type card struct {
	cells  [][]string        // values per column
	urls   map[string]prop   // grouped URLs waiting for their X-ABLabel
	labels map[string]string // group → X-ABLabel
	urlSeq []string
	notes  []string
}

func newCard() *card {
	return &card{cells: make([][]string, len(vcardHeader)), urls: map[string]prop{}, labels: map[string]string{}}
}

func (c *card) put(col, v string) {
	if v = strings.TrimSpace(v); v != "" {
		i := vcardCol[col]
		c.cells[i] = append(c.cells[i], v)
	}
}

func (c *card) add(p prop) {
	switch p.name {
	case "N":
		n := components(p.value, ';')
		c.put("last_name", n[0])
		if len(n) > 1 {
			first := n[1]
			if len(n) > 2 && strings.TrimSpace(n[2]) != "" {
				first += " " + n[2]
			}
			c.put("first_name", first)
		}
		if len(n) > 3 && strings.TrimSpace(n[3]) != "" { // "Dr.": kept as a note, never as the job title
			c.notes = append(c.notes, "Name prefix: "+unescape(n[3]))
		}
	case "FN":
		c.put("name", unescape(p.value))
	case "ORG":
		o := components(p.value, ';')
		c.put("outlet", o[0])
		if len(o) > 1 {
			c.put("role", strings.Join(nonEmpty(o[1:]), ", "))
		}
	case "TITLE":
		c.put("title", unescape(p.value))
	case "ROLE":
		if len(c.cells[vcardCol["role"]]) == 0 {
			c.put("role", unescape(p.value))
		}
	case "EMAIL":
		switch {
		case p.hasType("home"):
			c.put("email_private", unescape(p.value))
		case p.hasType("other"):
			c.put("email_other", unescape(p.value))
		default:
			c.put("email", unescape(p.value))
		}
	case "TEL":
		v := strings.TrimPrefix(unescape(p.value), "tel:")
		switch {
		case p.hasType("cell", "mobile", "iphone"):
			c.put("phone_mobile", v)
		case p.hasType("home"):
			c.put("phone_private", v)
		default:
			c.put("phone", v)
		}
	case "ADR":
		a := components(p.value, ';')
		for i, col := range map[int]string{3: "city", 4: "region", 6: "country"} {
			if i < len(a) && len(c.cells[vcardCol[col]]) == 0 {
				c.put(col, a[i])
			}
		}
	case "NOTE":
		c.notes = append(c.notes, unescape(p.value))
	case "CATEGORIES":
		for _, t := range components(p.value, ',') {
			c.put("categories", t)
		}
	case "UID":
		if id, ok := strings.CutPrefix(strings.ToLower(p.value), "urn:rapport:contact:"); ok {
			c.put("id", id)
		}
	case "URL":
		if p.group != "" {
			c.urls[p.group] = p
			c.urlSeq = append(c.urlSeq, p.group)
			return
		}
		c.url(unescape(p.value), p.param("TYPE"))
	case "X-ABLABEL":
		c.labels[p.group] = strings.Trim(unescape(p.value), "_$!<>")
	case "X-SOCIALPROFILE":
		c.url(unescape(p.value), p.param("TYPE"))
	case "X-TWITTER", "X-INSTAGRAM", "X-YOUTUBE", "X-TIKTOK", "X-FACEBOOK", "X-LINKEDIN", "X-XING", "X-MASTODON", "X-BLUESKY":
		c.url(unescape(p.value), strings.ToLower(strings.TrimPrefix(p.name, "X-")))
	}
}

// url files a web address under the platform its label or host names.
func (c *card) url(v, label string) {
	if p := platformOf(label, v); p != "" {
		c.put(p, v)
	}
}

// record finishes the card: grouped URLs get their labels, notes join.
func (c *card) record(n int, problem string) Record {
	for _, g := range c.urlSeq {
		p := c.urls[g]
		c.url(unescape(p.value), firstNonEmpty(c.labels[g], p.param("TYPE")))
	}
	c.urlSeq = nil
	if len(c.notes) > 0 {
		c.put("bio", strings.Join(c.notes, "\n\n"))
	}
	cells := make([]string, len(vcardHeader))
	for i, vs := range c.cells {
		cells[i] = strings.Join(vs, "\n")
	}
	return Record{Row: n, Cells: cells, Err: problem}
}

func nonEmpty(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}
