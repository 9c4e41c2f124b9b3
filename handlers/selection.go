package handlers

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent/schema"
)

// selectionFrom reads a selection from URL or form values: q and the filters
// the contact list and search pages use (kind, region, topic, tag, stage,
// owner, platform, consent — each may repeat; stage_min means that stage or
// further up the ladder) and the conditions min_health,
// max_health, stale, has_email, min_followers, max_followers; and the sort.
func selectionFrom(v url.Values) crm.Selection {
	f := schema.SegmentFilter{
		Kinds: values(v, "kind"), Regions: values(v, "region"), Topics: values(v, "topic"), Tags: values(v, "tag"),
		Stages: values(v, "stage"), Platforms: values(v, "platform"), Consent: values(v, "consent"),
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
	return v
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
