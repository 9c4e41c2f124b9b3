package crm

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/user"
)

// BulkOp is one entry of the bulk registry: a change of one field of many
// contacts. It reads the field (Get), says what the field is after the
// change (Target) and sets it (Set); preview, run and undo are the same code
// for every entry, so adding a bulk action is adding one BulkOp.
//
// Membership fields (a tag, a topic) read "1" when the contact has it and
// "" when not.
type BulkOp struct {
	Key   string // the form's action value, stored on the BulkAction
	Label string // "Add tag", for the menu
	// Arg names what the action needs: "tag", "topic", "owner", "region",
	// "stage", "basis" or "flag" (yes/no); the form shows that input.
	Arg string
	// Check normalises and validates the argument; a field error for "value".
	Check func(ctx context.Context, client *ent.Client, arg string) (string, error)
	// Allowed reports whether role may run the action with arg; the error
	// says why not.
	Allowed func(role, arg string) error
	Get     func(in *ContactInput, arg string) string
	Set     func(in *ContactInput, arg, to string)
	Target  func(arg string) string
	// Skip, when set, says why a contact is left out although its field
	// differs ("" for none).
	Skip func(in *ContactInput, arg string) string
	// Describe says the action in words for the audit trail and the list of
	// recent actions ("add to list X"): only for an entry that BulkWords
	// does not say (the built-in ones are said there, in every language).
	Describe func(arg string) string
	// SetWise, when set, replaces Get, Set, Target and Skip: the entry
	// changes something beside the contacts' own fields (a campaign's
	// target list) and handles whole chunks itself.
	SetWise *BulkSetWise
}

// BulkSetWise is an entry that changes something other than a contact's
// fields, one chunk of contacts at a time, in the transaction the bulk
// service gives it (with its progress and undo record). "Add to campaign"
// is one: its Apply adds the targets, its Undo removes those it added.
type BulkSetWise struct {
	// Skip says, for the contacts of ids it would leave alone, why (a
	// SkipLabels key or a sentence).
	Skip func(ctx context.Context, client *ent.Client, ids []int, arg string) (map[int]string, error)
	// Apply changes the contacts of ids it does not skip and returns, per
	// changed contact, the value the undo gets back.
	Apply func(ctx context.Context, tx *ent.Tx, ids []int, arg string) (map[int]string, error)
	// Undo restores the contacts of before and says how many it kept
	// (changed by someone since).
	Undo func(ctx context.Context, tx *ent.Tx, before map[int]string, arg string) (kept int, err error)
}

// Skip reasons of a bulk preview.
const (
	SkipAlready = "already"
	SkipChanged = "changed_since" // undo: someone changed the field after the action
	SkipMissing = "missing"       // deleted meanwhile
)

// SkipLabels says each skip reason in words.
var SkipLabels = map[string]string{
	SkipAlready: "already as chosen",
	SkipChanged: "changed by someone else since",
	SkipMissing: "deleted meanwhile",
}

var bulkOps []BulkOp

// RegisterBulk adds op to the registry (at init; a later entry with the
// same key replaces the earlier one).
func RegisterBulk(op BulkOp) {
	for i := range bulkOps {
		if bulkOps[i].Key == op.Key {
			bulkOps[i] = op
			return
		}
	}
	bulkOps = append(bulkOps, op)
}

// BulkOps lists the registry in menu order.
func BulkOps() []BulkOp { return slices.Clone(bulkOps) }

// BulkOpOf is the entry with key.
func BulkOpOf(key string) (BulkOp, bool) {
	for _, op := range bulkOps {
		if op.Key == key {
			return op, true
		}
	}
	return BulkOp{}, false
}

func init() {
	RegisterBulk(member("add_tag", "Add tag", "tag", "1", tagsOf))
	RegisterBulk(member("remove_tag", "Remove tag", "tag", "", tagsOf))
	RegisterBulk(member("add_topic", "Add topic", "topic", "1", topicsOf))
	RegisterBulk(member("remove_topic", "Remove topic", "topic", "", topicsOf))
	RegisterBulk(scalar("set_owner", "Set owner", "owner", checkOwner,
		func(in *ContactInput) string {
			if in.OwnerID == nil {
				return ""
			}
			return strconv.Itoa(*in.OwnerID)
		},
		func(in *ContactInput, to string) {
			in.OwnerID = nil
			if n, err := strconv.Atoi(to); err == nil && n > 0 {
				in.OwnerID = &n
			}
		}))
	RegisterBulk(scalar("set_region", "Set region", "region", checkLine("region", "Enter a region of at most 200 characters.", true),
		func(in *ContactInput) string { return in.Region }, func(in *ContactInput, to string) { in.Region = to }))
	// Never to advocate (checkStage): that takes a reviewed nomination. An
	// advocate may be moved down, as on the advocate list, and an undo puts
	// back the stage the review gave.
	RegisterBulk(scalar("set_stage", "Set stage", "stage", checkStage,
		func(in *ContactInput) string { return in.Stage }, func(in *ContactInput, to string) { in.Stage = to }))
	RegisterBulk(scalar("set_lawful_basis", "Set lawful basis", "basis", checkBasis,
		func(in *ContactInput) string { return in.LawfulBasis }, func(in *ContactInput, to string) { in.LawfulBasis = to }))
	dnc := scalar("set_do_not_contact", "Set do-not-contact", "flag", checkFlag,
		func(in *ContactInput) string { return strconv.FormatBool(in.DoNotContact) },
		func(in *ContactInput, to string) { in.DoNotContact = to == "true" })
	// Lifting do-not-contact is a manager's decision, in bulk as on the form.
	dnc.Allowed = func(role, arg string) error {
		if arg == "false" && role != RoleManager && role != RoleAdmin {
			return Errorf(EForbidden, "Only a manager may lift do-not-contact.")
		}
		return nil
	}
	RegisterBulk(dnc)
}

// member is a tag or topic entry: has becomes "1" (add) or "" (remove).
func member(key, label, arg, has string, list func(*ContactInput) *[]string) BulkOp {
	return BulkOp{Key: key, Label: label, Arg: arg,
		Check: checkLine(arg, "Enter a "+arg+" of at most 100 characters.", false),
		Get: func(in *ContactInput, name string) string {
			if slices.ContainsFunc(*list(in), func(s string) bool { return strings.EqualFold(s, name) }) {
				return "1"
			}
			return ""
		},
		Set: func(in *ContactInput, name, to string) {
			l := slices.DeleteFunc(slices.Clone(*list(in)), func(s string) bool { return strings.EqualFold(s, name) })
			if to == "1" {
				l = append(l, name)
			}
			*list(in) = l
		},
		Target: func(string) string { return has },
	}
}

func tagsOf(in *ContactInput) *[]string   { return &in.Tags }
func topicsOf(in *ContactInput) *[]string { return &in.Topics }

// scalar is an entry that sets one field to the argument.
func scalar(key, label, arg string, check func(context.Context, *ent.Client, string) (string, error),
	get func(*ContactInput) string, set func(*ContactInput, string)) BulkOp {
	return BulkOp{Key: key, Label: label, Arg: arg, Check: check,
		Get:    func(in *ContactInput, _ string) string { return get(in) },
		Set:    func(in *ContactInput, _, to string) { set(in, to) },
		Target: func(v string) string { return v },
	}
}

func checkLine(_, msg string, emptyOK bool) func(context.Context, *ent.Client, string) (string, error) {
	limit := 100
	if emptyOK {
		limit = maxLine
	}
	return func(_ context.Context, _ *ent.Client, v string) (string, error) {
		v = strings.TrimSpace(v)
		if (v == "" && !emptyOK) || utf8.RuneCountInString(v) > limit || strings.ContainsAny(v, "\n\r") {
			return "", (FieldErrors{"value": msg}).Err()
		}
		return v, nil
	}
}

func checkOwner(ctx context.Context, client *ent.Client, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil // nobody
	}
	id, err := strconv.Atoi(v)
	if err != nil {
		return "", (FieldErrors{"value": "Choose the new owner."}).Err()
	}
	ok, err := client.User.Query().Where(user.ID(id), user.Active(true)).Exist(ctx)
	if err != nil {
		return "", fmt.Errorf("bulk owner: %w", err)
	}
	if !ok {
		return "", (FieldErrors{"value": "Choose an active colleague."}).Err()
	}
	return strconv.Itoa(id), nil
}

func checkStage(_ context.Context, _ *ent.Client, v string) (string, error) {
	switch {
	case contact.StageValidator(contact.Stage(v)) != nil:
		return "", (FieldErrors{"value": "Choose a stage."}).Err()
	case v == string(contact.StageAdvocate):
		// Advocates are made by a reviewed nomination with evidence, never in bulk.
		return "", (FieldErrors{"value": "Advocates are approved one by one through a nomination."}).Err()
	}
	return v, nil
}

func checkBasis(_ context.Context, _ *ent.Client, v string) (string, error) {
	if contact.LawfulBasisValidator(contact.LawfulBasis(v)) != nil {
		return "", (FieldErrors{"value": "Choose a lawful basis."}).Err()
	}
	return v, nil
}

func checkFlag(_ context.Context, _ *ent.Client, v string) (string, error) {
	if v != "true" && v != "false" {
		return "", (FieldErrors{"value": "Choose yes or no."}).Err()
	}
	return v, nil
}
