package crm

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/serversecret"
	"github.com/rapport-crm/rapport/ent/suppression"
)

// suppressionSecret names the key of the suppression hashes in server_secrets.
const suppressionSecret = "suppression"

// suppressionKey returns the servers' key of the suppression hashes, making
// it on first use when create is set (nil, nil when there is none yet:
// nobody was erased, nothing is suppressed).
func suppressionKey(ctx context.Context, client *ent.Client, create bool) ([]byte, error) {
	s, err := client.ServerSecret.Query().Where(serversecret.Name(suppressionSecret)).Only(ctx)
	switch {
	case err == nil:
		return s.Value, nil
	case !ent.IsNotFound(err):
		return nil, fmt.Errorf("suppression key: %w", err)
	case !create:
		return nil, nil
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("suppression key: %w", err)
	}
	if err := client.ServerSecret.Create().SetName(suppressionSecret).SetValue(key).Exec(ctx); err != nil {
		return nil, fmt.Errorf("suppression key: %w", err)
	}
	return key, nil
}

// SuppressionKeys are the match keys of a person as the suppression list
// hashes them: "e:" and a normalised e-mail address, "h:" and
// platform/handle (the import's match keys).
func SuppressionKeys(emails []string, channels []ChannelInput) []string {
	var ks []string
	for _, e := range emails {
		if e = NormalizeEmail(e); e != "" {
			ks = append(ks, "e:"+e)
		}
	}
	for _, c := range channels {
		if c.Handle != "" {
			ks = append(ks, "h:"+strings.ToLower(c.Platform+"/"+c.Handle))
		}
	}
	return ks
}

func suppressionHash(key []byte, k string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(k))
	return hex.EncodeToString(m.Sum(nil))
}

// Suppressed returns, of keys (SuppressionKeys), those that belong to an
// erased person, with the date of the erasure: one look-up.
func Suppressed(ctx context.Context, client *ent.Client, keys []string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	if len(keys) == 0 {
		return out, nil
	}
	key, err := suppressionKey(ctx, client, false)
	if err != nil || key == nil {
		return out, err
	}
	byHash := make(map[string]string, len(keys))
	hashes := make([]string, 0, len(keys))
	for _, k := range keys {
		h := suppressionHash(key, strings.ToLower(k))
		if _, ok := byHash[h]; !ok {
			byHash[h] = k
			hashes = append(hashes, h)
		}
	}
	for lo := 0; lo < len(hashes); lo += bulkChunk {
		ss, err := client.Suppression.Query().Where(suppression.HashIn(hashes[lo:min(len(hashes), lo+bulkChunk)]...)).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("suppression list: %w", err)
		}
		for _, s := range ss {
			out[byHash[s.Hash]] = s.ErasedAt
		}
	}
	return out, nil
}

// suppress adds keys to the suppression list in tx, as of at.
func suppress(ctx context.Context, tx *ent.Tx, keys []string, at time.Time) error {
	if len(keys) == 0 {
		return nil
	}
	key, err := suppressionKey(ctx, tx.Client(), true)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	var bulk []*ent.SuppressionCreate
	for _, k := range keys {
		h := suppressionHash(key, strings.ToLower(k))
		if !seen[h] {
			seen[h] = true
			bulk = append(bulk, tx.Suppression.Create().SetHash(h).SetErasedAt(at))
		}
	}
	for lo := 0; lo < len(bulk); lo += bulkChunk {
		err := tx.Suppression.CreateBulk(bulk[lo:min(len(bulk), lo+bulkChunk)]...).OnConflictColumns(suppression.FieldHash).DoNothing().Exec(ctx)
		if err != nil {
			return fmt.Errorf("suppression list: %w", err)
		}
	}
	return nil
}

// ErasedMessage is the warning for a person who asked to be erased on at.
func ErasedMessage(at time.Time) string {
	return "This person asked to be erased on " + at.Format("2 Jan 2006") + "."
}

// checkErased refuses new contacts (of a form, not an import: the import
// warns row by row) whose e-mail or handle belongs to someone who asked to
// be erased, with a field error saying when; one look-up for the batch.
func checkErased(ctx context.Context, client *ent.Client, ws []ContactWrite) error {
	var keys []string
	for _, x := range ws {
		if x.ID == 0 {
			keys = append(keys, SuppressionKeys(emailsOf(x.In), x.In.Channels)...)
		}
	}
	hit, err := Suppressed(ctx, client, keys)
	if err != nil || len(hit) == 0 {
		return err
	}
	fe := FieldErrors{}
	for _, x := range ws {
		if x.ID != 0 {
			continue
		}
		for i, e := range x.In.Emails {
			if at, ok := hit["e:"+NormalizeEmail(e.Address)]; ok {
				fe.Add(fmt.Sprintf("emails.%d", i), ErasedMessage(at)+" Rapport does not re-create erased people.")
			}
		}
		for i, c := range x.In.Channels {
			if at, ok := hit["h:"+strings.ToLower(c.Platform+"/"+c.Handle)]; ok {
				fe.Add(fmt.Sprintf("channels.%d", i), ErasedMessage(at)+" Rapport does not re-create erased people.")
			}
		}
	}
	return fe.Err()
}
