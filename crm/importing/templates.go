package importing

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/importmapping"
)

// Templates lists the saved mappings by name.
func Templates(ctx context.Context, client *ent.Client) ([]*ent.ImportMapping, error) {
	ts, err := client.ImportMapping.Query().Order(ent.Asc(importmapping.FieldName)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("import: list mappings: %w", err)
	}
	return ts, nil
}

// SaveTemplate stores m under name, replacing a mapping of that name.
func SaveTemplate(ctx context.Context, client *ent.Client, name string, userID *int, m map[string]string) error {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 100 {
		return &crm.Error{Code: crm.EInvalid, Message: "Please correct the marked fields.", Fields: map[string]string{"template_name": "Name the mapping in 1 to 100 characters."}}
	}
	err := client.ImportMapping.Create().SetName(name).SetNillableUserID(userID).SetMapping(m).
		OnConflictColumns(importmapping.FieldName).UpdateMapping().UpdateUserID().Exec(ctx)
	if err != nil {
		return fmt.Errorf("import: save mapping %q: %w", name, err)
	}
	return nil
}

// Template loads a saved mapping by name.
func Template(ctx context.Context, client *ent.Client, name string) (*ent.ImportMapping, error) {
	t, err := client.ImportMapping.Query().Where(importmapping.Name(name)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, crm.Errorf(crm.EInvalid, "There is no saved mapping named %q.", name)
	}
	if err != nil {
		return nil, fmt.Errorf("import: load mapping %q: %w", name, err)
	}
	return t, nil
}

// ApplyTemplate maps header by a saved mapping, matching column names
// loosely (case, spaces); columns the template does not know are guessed.
func ApplyTemplate(header []string, saved map[string]string) map[string]string {
	byKey := map[string]string{}
	for col, f := range saved {
		byKey[headerKey(col)] = f
	}
	out := Guess(header)
	for _, h := range header {
		if f, ok := byKey[headerKey(h)]; ok && ValidField(f) {
			out[h] = f
		}
	}
	return out
}
