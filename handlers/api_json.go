package handlers

import (
	"encoding/json"
	"errors"
	"io"
	"maps"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
)

// readJSON decodes the request's JSON body into v, which may hold values to
// patch: keys the body sends replace them (lists whole), keys it leaves out
// keep them. Unknown keys, wrong types and a malformed body are refused
// with a problem that names the field and never quotes the parser.
func readJSON(c echo.Context, v any, resetLists func(keys map[string]json.RawMessage)) error {
	ct, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if ct != "application/json" && ct != "application/merge-patch+json" {
		return &apiError{status: http.StatusUnsupportedMediaType, msg: "Send the body as application/json."}
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return err // the body limit's 413, or a broken connection
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(body, &keys); err != nil {
		return &apiError{status: http.StatusBadRequest, msg: "The body is not a JSON object."}
	}
	known := jsonFields(reflect.TypeOf(v))
	unknown := map[string]string{}
	for k := range keys {
		if !known[k] {
			unknown[k] = "Unknown field."
		}
	}
	if len(unknown) > 0 {
		return &crm.Error{Code: crm.EInvalid, Message: "Please correct the marked fields.", Fields: unknown}
	}
	if resetLists != nil {
		resetLists(keys)
	}
	err = json.Unmarshal(body, v)
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te):
		return &crm.Error{Code: crm.EInvalid, Message: "Please correct the marked fields.",
			Fields: map[string]string{te.Field: "Expected a " + jsonKind(te.Type.Kind().String()) + "."}}
	}
	return &apiError{status: http.StatusBadRequest, msg: "The body is not valid JSON."}
}

// jsonFields are the top-level JSON keys a struct (or pointer to one)
// accepts, from its json tags and embedded structs, as encoding/json reads
// them: unknown keys are found from the type, not from the parser's text.
func jsonFields(t reflect.Type) map[string]bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	out := map[string]bool{}
	if t.Kind() != reflect.Struct {
		return out
	}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
		case f.Anonymous && name == "":
			maps.Copy(out, jsonFields(f.Type))
		case !f.IsExported():
		case name != "":
			out[name] = true
		default:
			out[f.Name] = true
		}
	}
	return out
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "list"
	case "struct", "map":
		return "object"
	}
	return "number"
}

// etag is the entity tag of a record's version.
func etag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// ifMatch checks the request's If-Match against version: ok when it names
// the version (or is *); present reports whether the header was sent.
func ifMatch(c echo.Context, version int) (present, ok bool) {
	h := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	if h == "" {
		return false, false
	}
	for _, t := range strings.Split(h, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag(version) {
			return true, true
		}
	}
	return true, false
}

var (
	errNeedIfMatch = &apiError{status: http.StatusPreconditionRequired,
		msg: "Send If-Match with the ETag you read, so that nobody's change is overwritten unseen."}
	errStale = &apiError{status: http.StatusPreconditionFailed,
		msg: "The record changed since you read it (its ETag is different); read it again and reapply your change."}
)

// Page sizes of API lists.
const (
	APIDefaultLimit = 50
	APIMaxLimit     = 200
)

// apiLimit reads ?limit= (default APIDefaultLimit, 1–APIMaxLimit).
func apiLimit(c echo.Context) (int, error) {
	raw := c.QueryParam("limit")
	if raw == "" {
		return APIDefaultLimit, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > APIMaxLimit {
		return 0, &crm.Error{Code: crm.EInvalid, Message: "Please correct the marked fields.",
			Fields: map[string]string{"limit": "A whole number from 1 to 200."}}
	}
	return n, nil
}

// apiCursor reads ?cursor=, refusing one too long to be ours.
func apiCursor(c echo.Context) (string, error) {
	cur := c.QueryParam("cursor")
	if len(cur) > 512 {
		return "", &crm.Error{Code: crm.EInvalid, Message: "Please correct the marked fields.",
			Fields: map[string]string{"cursor": "Not a cursor this API gave out."}}
	}
	return cur, nil
}
