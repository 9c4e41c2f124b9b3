package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent/user"
)

// token makes an API token for the user with email.
func (a *app) token(email, scope string) string {
	a.t.Helper()
	ctx := context.Background()
	u, err := a.db.Client.User.Query().Where(user.Email(email)).Only(ctx)
	if err != nil {
		a.t.Fatal(err)
	}
	tok, _, err := crm.NewAPITokens(a.db.Client, nil).Create(ctx, u.ID, crm.TokenInput{Name: "test " + scope, Scope: scope})
	if err != nil {
		a.t.Fatal(err)
	}
	return tok
}

// apiClient calls the JSON API with a bearer token ("" for none).
type apiClient struct {
	t     *testing.T
	base  string
	token string
	http  *http.Client
}

func (a *app) api(token string) *apiClient {
	return &apiClient{t: a.t, base: a.srv.URL, token: token, http: &http.Client{}}
}

// apiResponse is an answer of the API.
type apiResponse struct {
	status int
	header http.Header
	body   []byte
}

func (r apiResponse) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// problem decodes a problem document and checks its media type.
func (r apiResponse) problem(t *testing.T) map[string]any {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("status %d with Content-Type %q, want application/problem+json; body %s", r.status, ct, r.body)
	}
	var p map[string]any
	r.json(t, &p)
	if int(p["status"].(float64)) != r.status || p["title"] == "" || p["type"] == "" {
		t.Fatalf("problem %v does not state its status %d, title and type", p, r.status)
	}
	return p
}

// do sends method path with body (marshalled to JSON unless it is a string or nil) and headers (k, v pairs).
func (c *apiClient) do(method, path string, body any, headers ...string) apiResponse {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return apiResponse{status: res.StatusCode, header: res.Header, body: b}
}

func wantAPI(t *testing.T, r apiResponse, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %.1500s", r.status, status, r.body)
	}
}
