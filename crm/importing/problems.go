package importing

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/locale"
)

// A row's reason is stored as English sentences (joinReason), so the results
// download, SQL and the CLI read it as it is. The sentences a row's problems
// say come from the templates below: catalogue message IDs with
// {{.Placeholders}}. ReasonText recognises them in a stored reason and says
// them in the reader's language, with the values as the row had them; the
// import may have run in the background, where no reader's language is known.

// problem is a registered sentence of a row's reason.
type problem struct {
	id    string
	re    *regexp.Regexp // the ID's English text, its placeholders captured
	names []string       // the placeholders, in the order of re's groups
}

var (
	problems    []*problem
	placeholder = regexp.MustCompile(`\{\{\.(\w+)\}\}`)
)

// rowProblem registers the sentence id.
func rowProblem(id string) *problem {
	p := &problem{id: id}
	var re strings.Builder
	re.WriteString(`^`)
	last := 0
	body := strings.TrimSuffix(id, ".")
	for _, m := range placeholder.FindAllStringSubmatchIndex(body, -1) {
		re.WriteString(literal(body[last:m[0]], last == 0))
		re.WriteString(`(.*?)`)
		p.names = append(p.names, body[m[2]:m[3]])
		last = m[1]
	}
	re.WriteString(literal(body[last:], last == 0))
	re.WriteString(`$`)
	p.re = regexp.MustCompile(`(?s)` + re.String())
	problems = append(problems, p)
	return p
}

// literal is text quoted for a regexp; at the start of a sentence its first
// letter matches either case (joinReason capitalises each sentence).
func literal(s string, first bool) string {
	if !first || s == "" {
		return regexp.QuoteMeta(s)
	}
	r := s[:1]
	if up, low := strings.ToUpper(r), strings.ToLower(r); up != low {
		return "[" + up + low + "]" + regexp.QuoteMeta(s[1:])
	}
	return regexp.QuoteMeta(s)
}

// say is the sentence in English with kv (name, value pairs) filled in: the
// text that is stored.
func (p *problem) say(kv ...any) string {
	vals := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		name, _ := kv[i].(string)
		switch v := kv[i+1].(type) {
		case string:
			vals[name] = v
		case int:
			vals[name] = strconv.Itoa(v)
		case int64:
			vals[name] = strconv.FormatInt(v, 10)
		}
	}
	return placeholder.ReplaceAllStringFunc(p.id, func(m string) string { return vals[m[3:len(m)-2]] })
}

// The sentences of rows' problems.
var (
	probBeyond       = rowProblem("cell {{.Cell}} is beyond the last column and was not imported")
	probTooLong      = rowProblem("{{.Column}}: the cell holds {{.KB}} KB; a cell may hold at most {{.Max}} KB")
	probEncoding     = rowProblem("{{.Column}}: the cell is not valid text in the chosen encoding (try another encoding in the preview)")
	probNUL          = rowProblem("{{.Column}}: NUL characters removed")
	probNotID        = rowProblem("{{.Column}}: “{{.Value}}” is not a Rapport ID")
	probCountry      = rowProblem("{{.Column}}: “{{.Value}}” is not a country Rapport knows; left out")
	probYesNo        = rowProblem("{{.Column}}: “{{.Value}}” is neither yes nor no")
	probFollowers    = rowProblem("{{.Column}}: “{{.Value}}” is not a number; followers left at 0")
	probChannel      = rowProblem("{{.Column}}: “{{.Value}}” is not platform:handle")
	probNoChannel    = rowProblem("followers given but no channel to count them for; left out")
	probAttributes   = rowProblem("{{.Column}}: not a JSON object of attributes")
	probNoSuchID     = rowProblem("no contact has Rapport ID {{.ID}}; matched by e-mail or handle, or new")
	probWebsite      = rowProblem("website {{.Address}} is not a web address; left out")
	probSameRow      = rowProblem("Same person as row {{.Row}}: merged into it.")
	probSameContact  = rowProblem("Same person as an earlier row (contact {{.ID}}): merged.")
	probSameNothing  = rowProblem("Same person as an earlier row; nothing new.")
	probCannotImport = rowProblem("The row cannot be imported.")
	// crm's check of a contact (crm/contacts.go), named by the field (reasonOf).
	_ = rowProblem("{{.Field}}: Not an e-mail address: {{.Address}}")
)

// ProblemIDs are the IDs of the sentences a row's reason may say (for the
// catalogue test).
func ProblemIDs() []string {
	out := make([]string, len(problems))
	for i, p := range problems {
		out[i] = p.id
	}
	return slices.Sorted(slices.Values(out))
}

// ReasonText is a row's stored reason in ctx's language: each sentence that
// a registered problem said, translated with its values; a sentence the
// catalogue holds whole, translated; any other as stored.
func ReasonText(ctx context.Context, reason string) string {
	l := locale.From(ctx)
	if reason == "" || l.Code == locale.English {
		return reason
	}
	if l.Has(reason) {
		return l.T(reason)
	}
	parts := strings.Split(strings.TrimSuffix(reason, "."), ". ")
	var out []string
	for i := 0; i < len(parts); {
		said := false
		for j := i + 1; j <= len(parts) && !said; j++ { // a value may hold ". "
			if s, ok := sentence(l, strings.Join(parts[i:j], ". ")); ok {
				out, i, said = append(out, s), j, true
			}
		}
		if !said {
			out, i = append(out, parts[i]), i+1
		}
	}
	return strings.Join(out, ". ") + "."
}

// sentence is s in l's words when a registered problem said it.
func sentence(l *locale.Locale, s string) (string, bool) {
	for _, p := range problems {
		m := p.re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		kv := make([]any, 0, 2*len(p.names))
		for k, name := range p.names {
			v := m[k+1]
			switch name {
			case "Column", "Field":
				if l.Has(v) { // a field's label ("E-mail"); a file's column as it is
					v = l.T(v)
				}
			case "KB", "Max":
				if n, err := strconv.ParseInt(v, 10, 64); err == nil {
					v = l.Number(n)
				}
			}
			kv = append(kv, name, v)
		}
		t := strings.TrimSuffix(l.T(p.id, kv...), ".")
		if t != "" && t[0] >= 'a' && t[0] <= 'z' {
			t = strings.ToUpper(t[:1]) + t[1:]
		}
		return t, true
	}
	return "", false
}
