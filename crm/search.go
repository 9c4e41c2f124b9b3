package crm

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/user"
)

// UserNames returns the names of the users ids (a facet of owners shows them).
func UserNames(ctx context.Context, client *ent.Client, ids []int) (map[int]string, error) {
	names := map[int]string{}
	if len(ids) == 0 {
		return names, nil
	}
	us, err := client.User.Query().Where(user.IDIn(ids...)).Select(user.FieldID, user.FieldName).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load user names: %w", err)
	}
	for _, u := range us {
		names[u.ID] = u.Name
	}
	return names, nil
}
