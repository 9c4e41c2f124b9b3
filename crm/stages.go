package crm

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/stagesetting"
)

// Stage is one rung of the relationship ladder: its key (a Contact.stage
// value), the label admins gave it and the expected contact cadence in days.
type Stage struct {
	Key         string
	Label       string
	CadenceDays int
}

// Stages is the ladder in order, unknown first, advocate last.
type Stages []Stage

// StageKeys are the stage values in ladder order.
var StageKeys = []string{"unknown", "aware", "engaged", "supporter", "advocate"}

// DefaultStages is the ladder before an admin changes it. Every stage has a
// cadence (the schema wants it positive): a contact nobody has talked to for
// half a year is worth a look even while the stage is still "unknown".
var DefaultStages = Stages{
	{"unknown", "Unknown", 180},
	{"aware", "Aware", 90},
	{"engaged", "Engaged", 60},
	{"supporter", "Supporter", 30},
	{"advocate", "Advocate", 21},
}

// Engaged is the first stage that counts as an active relationship (the
// coverage matrix counts engaged-or-better contacts).
const Engaged = "engaged"

// Get returns the stage of key (the default of an unknown key is a stage with no cadence).
func (s Stages) Get(key string) Stage {
	for _, st := range s {
		if st.Key == key {
			return st
		}
	}
	return Stage{Key: key, Label: key}
}

// Label is the label of the stage key.
func (s Stages) Label(key string) string { return s.Get(key).Label }

// Cadence is the cadence in days of stage key.
func (s Stages) Cadence(key string) int { return s.Get(key).CadenceDays }

// Rank is the position of key on the ladder (unknown 0 … advocate 4), -1 if none.
func (s Stages) Rank(key string) int {
	for i, k := range StageKeys {
		if k == key {
			return i
		}
	}
	return -1
}

// AtLeast lists the stage keys from key up the ladder.
func AtLeast(key string) []string {
	for i, k := range StageKeys {
		if k == key {
			return StageKeys[i:]
		}
	}
	return nil
}

// mergeStages lays stored settings over the defaults, so a database without
// settings (or with some) still has the whole ladder.
func mergeStages(rows []*ent.StageSetting) Stages {
	out := make(Stages, len(DefaultStages))
	copy(out, DefaultStages)
	for _, r := range rows {
		for i := range out {
			if out[i].Key == r.Stage {
				out[i].Label, out[i].CadenceDays = r.Label, r.CadenceDays
			}
		}
	}
	return out
}

// LoadStages reads the stage settings (one small query), filling in defaults.
func LoadStages(ctx context.Context, client *ent.Client) (Stages, error) {
	rows, err := client.StageSetting.Query().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load stage settings: %w", err)
	}
	return mergeStages(rows), nil
}

func loadStagesTx(ctx context.Context, tx *ent.Tx) (Stages, error) {
	rows, err := tx.StageSetting.Query().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load stage settings: %w", err)
	}
	return mergeStages(rows), nil
}

// EnsureStages writes the default settings of stages that have none, so the
// table is complete for anyone reading it with SQL. It is idempotent and
// cheap; the server calls it at start-up.
func EnsureStages(ctx context.Context, client *ent.Client) error {
	have, err := client.StageSetting.Query().Select(stagesetting.FieldStage).Strings(ctx)
	if err != nil {
		return fmt.Errorf("ensure stage settings: %w", err)
	}
	for i, st := range DefaultStages {
		if containsString(have, st.Key) {
			continue
		}
		err := client.StageSetting.Create().SetStage(st.Key).SetLabel(st.Label).SetCadenceDays(st.CadenceDays).
			SetPosition(i).OnConflictColumns(stagesetting.FieldStage).Ignore().Exec(ctx)
		if err != nil {
			return fmt.Errorf("ensure stage %s: %w", st.Key, err)
		}
	}
	return nil
}

func containsString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// StageInput is one row of the stage settings form, as typed.
type StageInput struct {
	Key, Label, Cadence string
}

// SaveStages validates and stores the labels and cadences of all stages. A
// changed cadence moves every contact's touch due date and health of that
// stage, in the same transaction.
func SaveStages(ctx context.Context, client *ent.Client, in []StageInput) (Stages, error) {
	next, err := validateStages(in)
	if err != nil {
		return nil, err
	}
	err = db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		before, err := loadStagesTx(ctx, tx)
		if err != nil {
			return err
		}
		ch := Changes{}
		var moved []string
		for i, st := range next {
			old := before.Get(st.Key)
			err := tx.StageSetting.Create().SetStage(st.Key).SetLabel(st.Label).SetCadenceDays(st.CadenceDays).SetPosition(i).
				OnConflictColumns(stagesetting.FieldStage).UpdateLabel().UpdateCadenceDays().UpdatePosition().Exec(ctx)
			if err != nil {
				return fmt.Errorf("save stage %s: %w", st.Key, err)
			}
			if old.Label != st.Label {
				ch[st.Key+".label"] = [2]any{old.Label, st.Label}
			}
			if old.CadenceDays != st.CadenceDays {
				ch[st.Key+".cadence_days"] = [2]any{old.CadenceDays, st.CadenceDays}
				moved = append(moved, st.Key)
			}
		}
		if len(ch) == 0 {
			return nil
		}
		if len(moved) > 0 {
			ids, err := tx.Contact.Query().Where(contact.StageIn(toStages(moved)...)).IDs(ctx)
			if err != nil {
				return fmt.Errorf("contacts of changed stages: %w", err)
			}
			if err := refreshHealth(ctx, tx, next, ids, timeNow()); err != nil {
				return err
			}
		}
		return audit(ctx, tx, Event{Action: ActionUpdate, Entity: EntityStageSettings, Msg: FieldsChanged(ch), Changes: ch})
	})
	return next, err
}

func validateStages(in []StageInput) (Stages, error) {
	fe := FieldErrors{}
	byKey := map[string]StageInput{}
	for _, s := range in {
		byKey[s.Key] = s
	}
	next := make(Stages, len(DefaultStages))
	for i, def := range DefaultStages {
		s := byKey[def.Key]
		label := strings.TrimSpace(s.Label)
		switch n := utf8.RuneCountInString(label); {
		case n == 0:
			fe.Add("label."+def.Key, "Enter a label.")
		case n > 60:
			fe.Add("label."+def.Key, "At most 60 characters.")
		}
		days, err := strconv.Atoi(strings.TrimSpace(s.Cadence))
		if err != nil || days < 1 || days > 3650 {
			fe.Add("cadence."+def.Key, "Enter a number of days from 1 to 3650.")
		}
		next[i] = Stage{Key: def.Key, Label: label, CadenceDays: days}
	}
	seen := map[string]bool{}
	for _, st := range next {
		k := strings.ToLower(st.Label)
		if k != "" && seen[k] {
			fe.Add("label."+st.Key, "Two stages cannot have the same label.")
		}
		seen[k] = true
	}
	return next, fe.Err()
}

func toStages(keys []string) []contact.Stage {
	out := make([]contact.Stage, len(keys))
	for i, k := range keys {
		out[i] = contact.Stage(k)
	}
	return out
}
