// Package auth holds the set of API keys the service accepts. Keys are
// compared in constant time and never logged; logs carry a key's ID, a short
// hash that identifies it without revealing it.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// KeySet is an immutable set of accepted API keys, safe for concurrent use.
type KeySet struct {
	hashes [][sha256.Size]byte
	ids    []string
}

// Parse reads API_KEYS in either of its forms: the JSON document the Secrets
// Manager secret holds, {"keys":["k1","k2"]}, or a comma-separated list
// k1,k2. Empty keys, keys with whitespace and malformed JSON are errors that
// name the variable; an empty value gives an empty set.
func Parse(raw string) (*KeySet, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return &KeySet{}, nil
	}
	var keys []string
	if strings.HasPrefix(raw, "{") {
		var doc struct {
			Keys *[]string `json:"keys"`
		}
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&doc); err != nil {
			return nil, fmt.Errorf(`invalid API_KEYS: want {"keys":["k1","k2"]} or k1,k2: %w`, err)
		}
		if dec.More() {
			return nil, errors.New(`invalid API_KEYS: trailing data after the JSON document`)
		}
		if doc.Keys == nil {
			return nil, errors.New(`invalid API_KEYS: JSON form needs a "keys" array: {"keys":["k1","k2"]}`)
		}
		keys = *doc.Keys
	} else {
		keys = strings.Split(raw, ",")
	}
	ks := &KeySet{}
	seen := map[[sha256.Size]byte]bool{}
	for i, k := range keys {
		if strings.HasPrefix(raw, "{") {
			if k == "" {
				return nil, fmt.Errorf("invalid API_KEYS: key %d is empty", i+1)
			}
		} else {
			k = strings.TrimSpace(k)
			if k == "" {
				return nil, fmt.Errorf("invalid API_KEYS: key %d is empty (check for a stray comma)", i+1)
			}
		}
		if strings.IndexFunc(k, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
			return nil, fmt.Errorf("invalid API_KEYS: key %d (id %s) contains whitespace or control characters", i+1, ID(k))
		}
		h := sha256.Sum256([]byte(k))
		if seen[h] {
			continue
		}
		seen[h] = true
		ks.hashes = append(ks.hashes, h)
		ks.ids = append(ks.ids, hex.EncodeToString(h[:4]))
	}
	return ks, nil
}

// Len is the number of distinct keys.
func (s *KeySet) Len() int { return len(s.hashes) }

// Check reports whether key is in the set and, if so, its ID. It compares the
// key's hash with every key's in constant time, so the time taken does not
// tell which key, or how much of one, matched.
func (s *KeySet) Check(key string) (id string, ok bool) {
	if key == "" {
		return "", false
	}
	h := sha256.Sum256([]byte(key))
	match := -1
	for i := range s.hashes {
		if subtle.ConstantTimeCompare(h[:], s.hashes[i][:]) == 1 {
			match = i
		}
	}
	if match < 0 {
		return "", false
	}
	return s.ids[match], true
}

// ID returns the loggable identity of a key: the first 8 hex digits of its
// SHA-256.
func ID(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:4])
}

// Generate returns a new random development key: NewKey marked dev_.
func Generate() string { return "dev_" + NewKey() }

// NewKey returns a new random key: 32 bytes from crypto/rand, base64url
// without padding. The secrets target stores keys made so.
func NewKey() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error
	return base64.RawURLEncoding.EncodeToString(b)
}
