package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent/schema"
	"github.com/rapport-crm/rapport/handlers"
	"github.com/rapport-crm/rapport/handlers/routes"
)

func loadOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(handlers.OpenAPIDocument())
	if err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi %q, want 3.1.0", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the document is not valid OpenAPI: %v", err)
	}
	return doc
}

// TestOpenAPIMatchesRoutes: the document names exactly the API's routes.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc := loadOpenAPI(t)
	var inDoc, inTable []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			inDoc = append(inDoc, method+" "+path)
		}
	}
	for _, r := range routes.Table {
		if routes.IsAPI(r) {
			p := r.Path
			for _, seg := range strings.Split(p, "/") {
				if strings.HasPrefix(seg, ":") {
					p = strings.Replace(p, seg, "{"+seg[1:]+"}", 1)
				}
			}
			inTable = append(inTable, r.Method+" "+p)
		}
	}
	slices.Sort(inDoc)
	slices.Sort(inTable)
	if !slices.Equal(inDoc, inTable) {
		t.Errorf("openapi.json and routes.API differ:\n doc   %v\n table %v", inDoc, inTable)
	}
}

// TestOpenAPIResponses sends requests to every operation (successes and
// refusals) and validates each request and answer against the document with
// kin-openapi: a status, a field or a type the document does not state fails.
func TestOpenAPIResponses(t *testing.T) {
	doc := loadOpenAPI(t)
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	eachApp(t, func(t *testing.T, a *app) {
		a.user("manager@example.com", "manager")
		a.user("staff@example.com", "staff")
		ctx := context.Background()
		ct, err := crm.CreateContact(ctx, a.db.Client, crm.ContactInput{Kind: "blogger", FirstName: "Lena", LastName: "Groß",
			Region: "München", Emails: []crm.EmailInput{{Address: "lena@example.de"}}, Outlets: []crm.OutletRole{{Outlet: "Bunte", Role: "Autorin"}},
			LawfulBasis: "consent", ConsentState: "given", ConsentSource: "Formular"})
		if err != nil {
			t.Fatal(err)
		}
		outletID := a.db.Client.Outlet.Query().FirstIDX(ctx)
		mgr := a.token("manager@example.com", crm.ScopeWrite)
		seg, err := crm.SaveSegment(crm.WithActor(ctx, crm.Actor{UserID: a.db.Client.User.Query().FirstIDX(ctx)}), a.db.Client, 0,
			crm.SegmentInput{Name: "München", Shared: true, Selection: crm.Selection{Filter: filterRegion("München")}})
		if err != nil {
			t.Fatal(err)
		}
		covered := map[string]bool{}
		call := func(token, method, path string, body any, want int, headers ...string) apiResponse {
			t.Helper()
			res := a.api(token).do(method, path, body, headers...)
			if res.status != want {
				t.Fatalf("%s %s: status %d, want %d; %.500s", method, path, res.status, want, res.body)
			}
			var rb io.Reader
			switch b := body.(type) {
			case string:
				rb = strings.NewReader(b)
			case nil:
			default:
				rb = bytes.NewReader(mustJSON(b))
			}
			req, _ := http.NewRequest(method, "http://127.0.0.1"+path, rb)
			if rb != nil {
				req.Header.Set("Content-Type", "application/json")
			}
			for i := 0; i+1 < len(headers); i += 2 {
				req.Header.Set(headers[i], headers[i+1])
			}
			route, params, err := router.FindRoute(req)
			if err != nil {
				t.Fatalf("%s %s: not in the document: %v", method, path, err)
			}
			covered[route.Method+" "+route.Path] = true
			in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
			if want < 400 {
				if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
					t.Errorf("%s %s: request does not fit the document: %v", method, path, err)
				}
			}
			opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}
			if (strings.HasSuffix(path, "/download") || path == "/api/docs") && want == 200 {
				opts.ExcludeResponseBody = true
			}
			out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.status, Header: res.header, Options: opts}
			out.SetBodyBytes(res.body)
			if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
				t.Errorf("%s %s → %d: answer does not fit the document: %v\n%.800s", method, path, res.status, err, res.body)
			}
			return res
		}
		id := fmt.Sprint(ct.ID)
		call("", "GET", "/api/v1/openapi.json", nil, 200)
		docs := call("", "GET", "/api/docs", nil, 200)
		if n, ops := strings.Count(string(docs.body), `data-testid="api-operation"`), countOperations(doc); n != ops {
			t.Errorf("the reference page shows %d operations, the document has %d", n, ops)
		}
		call("", "GET", "/api/v1/contacts", nil, 401)
		call(mgr, "GET", "/api/v1/contacts?kind=blogger&region=München&sort=reach&limit=10", nil, 200)
		call(mgr, "GET", "/api/v1/contacts?limit=0", nil, 422)
		created := call(mgr, "POST", "/api/v1/contacts", map[string]any{"last_name": "Neu", "emails": []map[string]string{{"address": "neu@example.de", "type": "work"}}}, 201)
		call(mgr, "POST", "/api/v1/contacts", map[string]any{"last_name": ""}, 422)
		call(mgr, "POST", "/api/v1/contacts", "{", 400)
		call(mgr, "POST", "/api/v1/contacts", "{}", 415, "Content-Type", "text/plain")
		show := call(mgr, "GET", "/api/v1/contacts/"+id, nil, 200)
		call(mgr, "GET", "/api/v1/contacts/999999", nil, 404)
		call(mgr, "PATCH", "/api/v1/contacts/"+id, map[string]any{"city": "München"}, 428)
		call(mgr, "PATCH", "/api/v1/contacts/"+id, map[string]any{"city": "München"}, 412, "If-Match", `"77"`)
		call(mgr, "PATCH", "/api/v1/contacts/"+id, map[string]any{"city": "München", "tags": []string{"VIP"}}, 200, "If-Match", show.header.Get("ETag"))
		call(mgr, "GET", "/api/v1/contacts/"+id+"/interactions", nil, 200)
		call(mgr, "POST", "/api/v1/contacts/"+id+"/interactions", map[string]any{"type": "call", "subject": "Vorgespräch", "occurred_at": "2026-11-02T10:00:00Z"}, 201)
		call(mgr, "POST", "/api/v1/contacts/"+id+"/interactions", map[string]any{"type": "fax", "occurred_at": "2026-11-02T10:00:00Z"}, 422)
		call(mgr, "GET", "/api/v1/outlets?q=bun", nil, 200)
		call(mgr, "GET", fmt.Sprintf("/api/v1/outlets/%d", outletID), nil, 200)
		call(mgr, "GET", "/api/v1/segments", nil, 200)
		call(mgr, "GET", fmt.Sprintf("/api/v1/segments/%d/contacts?limit=5", seg.ID), nil, 200)
		ex := call(mgr, "POST", "/api/v1/exports", map[string]any{"segment_id": seg.ID, "format": "csv", "purpose": "Einladung 12.03."}, 201)
		call(mgr, "POST", "/api/v1/exports", map[string]any{"format": "pdf", "purpose": "x"}, 422)
		var e struct {
			ID int `json:"id"`
		}
		ex.json(t, &e)
		call(mgr, "GET", "/api/v1/exports", nil, 200)
		call(mgr, "GET", fmt.Sprintf("/api/v1/exports/%d", e.ID), nil, 200)
		call(mgr, "GET", fmt.Sprintf("/api/v1/exports/%d/download", e.ID), nil, 200)
		call(mgr, "GET", "/api/v1/exports/999999/download", nil, 404)
		var c struct {
			ID int `json:"id"`
		}
		created.json(t, &c)
		call(a.token("staff@example.com", crm.ScopeWrite), "DELETE", fmt.Sprintf("/api/v1/contacts/%d", c.ID), nil, 403)
		call(mgr, "DELETE", fmt.Sprintf("/api/v1/contacts/%d", c.ID), nil, 204)
		// Campaigns, targets, pitches and coverage.
		brand := a.db.Client.Brand.Create().SetName("Bergwerk").SaveX(ctx)
		call(mgr, "POST", "/api/v1/campaigns", map[string]any{"name": "", "starts_at": "2026-11-01T00:00:00Z"}, 422)
		cr := call(mgr, "POST", "/api/v1/campaigns", map[string]any{"client_id": brand.ID, "name": "Herbst", "starts_at": "2026-11-01T00:00:00Z",
			"embargo_until": "2026-11-02T09:00:00Z", "key_messages": []string{"recycelt"}}, 201)
		var cp struct {
			ID int `json:"id"`
		}
		cr.json(t, &cp)
		camp := fmt.Sprintf("/api/v1/campaigns/%d", cp.ID)
		call(mgr, "GET", "/api/v1/campaigns?status=planned&limit=1", nil, 200)
		call(mgr, "GET", "/api/v1/campaigns?status=later", nil, 422)
		call(mgr, "GET", camp, nil, 200)
		call(mgr, "GET", "/api/v1/campaigns/999999", nil, 404)
		call(mgr, "PATCH", camp, map[string]any{"status": "running"}, 428)
		call(mgr, "PATCH", camp, map[string]any{"status": "running"}, 412, "If-Match", `"9"`)
		call(mgr, "PATCH", camp, map[string]any{"no_reply_days": 400, "name": ""}, 422, "If-Match", `"1"`)
		call(mgr, "PATCH", camp, map[string]any{"status": "running", "ends_at": nil}, 200, "If-Match", `"1"`)
		call(mgr, "POST", camp+"/targets", map[string]any{}, 422)
		call(mgr, "POST", camp+"/targets", map[string]any{"selection": map[string]string{"region": "München"}}, 200)
		call(mgr, "POST", camp+"/targets", map[string]any{"segment_id": seg.ID}, 200)
		call(mgr, "GET", camp+"/targets?status=planned&limit=10", nil, 200)
		call(mgr, "GET", camp+"/targets?status=sold", nil, 422)
		call(mgr, "POST", camp+"/pitch", map[string]any{"subject": "Neu", "follow_up_days": 3}, 200)
		call(mgr, "POST", camp+"/pitch", map[string]any{"follow_up_days": 400}, 422)
		call(mgr, "POST", camp+"/targets/status", map[string]any{"contact_ids": []int{ct.ID}, "status": "replied"}, 200)
		call(mgr, "POST", camp+"/targets/status", map[string]any{"contact_ids": []int{}, "status": "replied"}, 422)
		piece := map[string]any{"title": "Bergschuhe", "url": "https://example.de/a", "published_at": "2026-11-20T08:00:00Z", "reach": 5000, "author_ids": []int{ct.ID}}
		cv := call(mgr, "POST", camp+"/coverage", piece, 201)
		call(mgr, "POST", camp+"/coverage", piece, 409)
		call(mgr, "POST", camp+"/coverage", map[string]any{"title": "", "published_at": "2026-11-20T08:00:00Z", "kind": "fax"}, 422)
		call(mgr, "POST", "/api/v1/campaigns/999999/coverage", map[string]any{"title": "x", "published_at": "2026-11-20T08:00:00Z"}, 404)
		call(mgr, "GET", camp+"/coverage?limit=5", nil, 200)
		call(mgr, "GET", cv.header.Get("Location"), nil, 200)
		call(mgr, "GET", "/api/v1/coverage/999999", nil, 404)
		call(mgr, "GET", camp+"/report", nil, 200)
		call(a.token("staff@example.com", crm.ScopeWrite), "GET", camp+"/report", nil, 403)
		for path, item := range doc.Paths.Map() {
			for method := range item.Operations() {
				if !covered[method+" "+path] {
					t.Errorf("%s %s: no request of this test reached it", method, path)
				}
			}
		}
	})
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func filterRegion(r string) schema.SegmentFilter { return schema.SegmentFilter{Regions: []string{r}} }

func countOperations(doc *openapi3.T) int {
	n := 0
	for _, item := range doc.Paths.Map() {
		n += len(item.Operations())
	}
	return n
}
