package crm

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's recommended minimum, m=19 MiB, t=2, p=1.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

var b64 = base64.RawStdEncoding

// MaxConcurrentHashes bounds the sign-ins that hash a password at once: each
// takes argonMemory, so a burst of attempts costs at most this many times 19 MiB.
const MaxConcurrentHashes = 4

// hashWait is how long a sign-in waits for a free hashing slot before it is
// told to try again.
const hashWait = 5 * time.Second

// hashSlots is the process's semaphore of password hashing: a resource of the
// machine, like its memory, and so one per process.
var hashSlots = make(chan struct{}, MaxConcurrentHashes)

var errHashBusy = &Error{Code: ETooMany, RetryAfter: 2 * time.Second,
	Message: "Many sign-ins are being checked right now. Please try again in a few seconds."}

// acquireHash takes a hashing slot, waiting at most hashWait or until ctx ends.
func acquireHash(ctx context.Context) (release func(), err error) {
	t := time.NewTimer(hashWait)
	defer t.Stop()
	select {
	case hashSlots <- struct{}{}:
		return func() { <-hashSlots }, nil
	case <-t.C:
		return nil, errHashBusy
	case <-ctx.Done():
		return nil, fmt.Errorf("wait to check a password: %w", ctx.Err())
	}
}

// HashPassword returns the argon2id hash of password in the PHC string format,
// $argon2id$v=19$m=…,t=…,p=…$salt$hash. The password is hashed byte for byte:
// no truncation, no normalisation.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime,
		argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("not an argon2id hash")

// CheckPassword reports whether password matches the PHC-encoded hash, using
// the parameters stored in the hash (so they can be raised later).
func CheckPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, errBadHash
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
