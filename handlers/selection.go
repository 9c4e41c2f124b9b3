package handlers

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent/schema"
)

// selectionFrom reads a selection from URL or form values: q and the filters
// the contact list and search pages use (kind, region, topic, tag, stage,
// owner, platform, consent, outlet — each may repeat; stage_min means that stage or
// further up the ladder) and the conditions min_health,
// max_health, stale, has_email, min_followers, max_followers; campaign (the
// targets of that campaign) with campaign_status (repeats); and the sort.
func selectionFrom(v url.Values) crm.Selection {
	f := schema.SegmentFilter{
		Kinds: values(v, "kind"), Regions: values(v, "region"), Topics: values(v, "topic"), Tags: values(v, "tag"),
		Stages: values(v, "stage"), Platforms: values(v, "platform"), Consent: values(v, "consent"),
		Outlets: values(v, "outlet"),
	}
	for _, o := range values(v, "owner") {
		if id, err := strconv.Atoi(o); err == nil {
			f.Owners = append(f.Owners, id)
		}
	}
	if min := strings.TrimSpace(v.Get("stage_min")); min != "" && len(f.Stages) == 0 {
		f.Stages = crm.AtLeast(min) // "engaged or better", as the coverage matrix links
	}
	f.MinHealth, f.MaxHealth = intParam(v, "min_health"), intParam(v, "max_health")
	f.Stale, f.HasEmail = boolParam(v, "stale"), boolParam(v, "has_email")
	f.MinFollowers, f.MaxFollowers = int64Param(v, "min_followers"), int64Param(v, "max_followers")
	f.Custom = customFiltersFrom(v)
	if id, err := strconv.Atoi(v.Get("campaign")); err == nil && id > 0 {
		f.Campaign, f.CampaignStatuses = &id, values(v, "campaign_status")
	}
	return crm.Selection{Query: strings.TrimSpace(v.Get("q")), Filter: f, Sort: strings.TrimSpace(v.Get("sort"))}
}

// selectionQuery is the inverse of selectionFrom, for links.
func selectionQuery(s crm.Selection) url.Values {
	v := url.Values{}
	set := func(k string, xs []string) {
		for _, x := range xs {
			v.Add(k, x)
		}
	}
	if s.Query != "" {
		v.Set("q", s.Query)
	}
	if s.Sort != "" {
		v.Set("sort", s.Sort)
	}
	f := s.Filter
	set("kind", f.Kinds)
	set("region", f.Regions)
	set("topic", f.Topics)
	set("tag", f.Tags)
	set("stage", f.Stages)
	set("platform", f.Platforms)
	set("consent", f.Consent)
	set("outlet", f.Outlets)
	for _, o := range f.Owners {
		v.Add("owner", strconv.Itoa(o))
	}
	for k, p := range map[string]*int{"min_health": f.MinHealth, "max_health": f.MaxHealth} {
		if p != nil {
			v.Set(k, strconv.Itoa(*p))
		}
	}
	for k, p := range map[string]*int64{"min_followers": f.MinFollowers, "max_followers": f.MaxFollowers} {
		if p != nil {
			v.Set(k, strconv.FormatInt(*p, 10))
		}
	}
	for k, p := range map[string]*bool{"stale": f.Stale, "has_email": f.HasEmail} {
		if p != nil {
			v.Set(k, strconv.FormatBool(*p))
		}
	}
	customFiltersQuery(v, f.Custom)
	if f.Campaign != nil {
		v.Set("campaign", strconv.Itoa(*f.Campaign))
		set("campaign_status", f.CampaignStatuses)
	}
	return v
}

// customFiltersFrom reads the conditions on custom fields: cf.KEY.any
// (repeats), cf.KEY.contains, cf.KEY.yes (true/false), cf.KEY.min,
// cf.KEY.max, cf.KEY.from, cf.KEY.to; by key in key order. The names say
// what is compared, so no field definition is needed to read them.
func customFiltersFrom(v url.Values) []schema.CustomFilter {
	byKey := map[string]*schema.CustomFilter{}
	var keys []string
	for name := range v {
		rest, ok := strings.CutPrefix(name, "cf.")
		if !ok {
			continue
		}
		key, op, ok := strings.Cut(rest, ".")
		if !ok || key == "" {
			continue
		}
		f := byKey[key]
		if f == nil {
			f = &schema.CustomFilter{Key: key}
		}
		switch op {
		case "any":
			f.Any = values(v, name)
		case "contains":
			f.Contains = strings.TrimSpace(v.Get(name))
		case "yes":
			f.Yes = boolParam(v, name)
		case "min":
			f.Min = floatParam(v, name)
		case "max":
			f.Max = floatParam(v, name)
		case "from":
			f.From = dayParam(v, name)
		case "to":
			f.To = dayParam(v, name)
		}
		if len(f.Any) == 0 && f.Contains == "" && f.Yes == nil && f.Min == nil && f.Max == nil && f.From == "" && f.To == "" {
			continue
		}
		if byKey[key] == nil {
			byKey[key] = f
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	out := make([]schema.CustomFilter, len(keys))
	for i, k := range keys {
		out[i] = *byKey[k]
	}
	return out
}

// customFiltersQuery writes fs as customFiltersFrom reads them.
func customFiltersQuery(v url.Values, fs []schema.CustomFilter) {
	for _, f := range fs {
		p := "cf." + f.Key + "."
		for _, a := range f.Any {
			v.Add(p+"any", a)
		}
		if f.Contains != "" {
			v.Set(p+"contains", f.Contains)
		}
		if f.Yes != nil {
			v.Set(p+"yes", strconv.FormatBool(*f.Yes))
		}
		for op, n := range map[string]*float64{"min": f.Min, "max": f.Max} {
			if n != nil {
				v.Set(p+op, strconv.FormatFloat(*n, 'f', -1, 64))
			}
		}
		for op, d := range map[string]string{"from": f.From, "to": f.To} {
			if d != "" {
				v.Set(p+op, d)
			}
		}
	}
}

// floatParam reads 12, 12.5 or 12,5.
func floatParam(v url.Values, k string) *float64 {
	s := strings.Replace(strings.TrimSpace(v.Get(k)), ",", ".", 1)
	n, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil
	}
	return &n
}

// dayParam reads a day as YYYY-MM-DD (a date input's value), else "".
func dayParam(v url.Values, k string) string {
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(v.Get(k)))
	if err != nil {
		return ""
	}
	return d.Format(time.DateOnly)
}

func values(v url.Values, k string) []string {
	var out []string
	for _, x := range v[k] {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func intParam(v url.Values, k string) *int {
	n, err := strconv.Atoi(strings.TrimSpace(v.Get(k)))
	if err != nil {
		return nil
	}
	return &n
}

func int64Param(v url.Values, k string) *int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(v.Get(k)), 10, 64)
	if err != nil {
		return nil
	}
	return &n
}

func boolParam(v url.Values, k string) *bool {
	b, err := strconv.ParseBool(strings.TrimSpace(v.Get(k)))
	if err != nil {
		return nil
	}
	return &b
}
