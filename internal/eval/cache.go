package eval

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// Cache keeps targets' and the judge's answers on disk, keyed by everything
// that determines them, so that an evaluation run again makes no model call
// for what has not changed. It is safe for concurrent use.
type Cache struct {
	dir string
	mu  sync.Mutex
	st  CacheStats
}

// CacheStats are a run's use of the cache.
type CacheStats struct {
	Dir    string `json:"dir"`
	Hits   int    `json:"hits"`
	Misses int    `json:"misses"`
	// SavedUSD is the estimated cost of the answers the cache gave: what
	// asking the models again would have cost.
	SavedUSD float64 `json:"savedUsd"`
}

// OpenCache uses dir, creating it.
func OpenCache(dir string) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create cache dir: %w", err)
	}
	return &Cache{dir: dir, st: CacheStats{Dir: dir}}, nil
}

// Stats returns the hits, misses and savings so far.
func (c *Cache) Stats() CacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.st
}

// Key hashes what determines an answer (any JSON-encodable value).
func Key(parts any) string {
	b, err := json.Marshal(parts)
	if err != nil {
		panic(fmt.Sprintf("cache key: %v", err)) // keys are built from plain data
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// hash is the hex SHA-256 of s, so that keys carry no transcript text.
func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func (c *Cache) path(kind, key string) string {
	return filepath.Join(c.dir, kind, key[:2], key+".json")
}

// get loads the answer under key into v; a missing or unreadable entry is a
// miss (an entry from an older layout is simply asked for again).
func (c *Cache) get(kind, key string, v any) bool {
	b, err := os.ReadFile(c.path(kind, key))
	ok := err == nil && json.Unmarshal(b, v) == nil
	c.mu.Lock()
	defer c.mu.Unlock()
	if ok {
		c.st.Hits++
	} else {
		c.st.Misses++
	}
	return ok
}

// saved adds the cost of an answer the cache gave.
func (c *Cache) saved(cost *float64) {
	if cost == nil {
		return
	}
	c.mu.Lock()
	c.st.SavedUSD += *cost
	c.mu.Unlock()
}

// put stores v under key, atomically: a reader never sees half an entry.
func (c *Cache) put(kind, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode cache entry: %w", err)
	}
	path := c.path(kind, key)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create cache dir: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return fmt.Errorf("write cache entry: %w", err)
	}
	_, werr := f.Write(b)
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write cache entry: %w", err)
	}
	if err := os.Rename(f.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("write cache entry: %w", err)
	}
	return nil
}

// CachedTarget answers from the cache when it can and asks next otherwise.
type CachedTarget struct {
	next  Target
	id    string
	cache *Cache
}

var _ Target = (*CachedTarget)(nil)

// NewCachedTarget caches next's answers in c. id must name everything
// about the target that changes its answers besides the item: its spec,
// model, prompt version and pipeline options.
func NewCachedTarget(next Target, id string, c *Cache) *CachedTarget {
	return &CachedTarget{next: next, id: id, cache: c}
}

// Name returns the target's name.
func (t *CachedTarget) Name() string { return t.next.Name() }

// Summarize returns the cached answer for it, or next's (then stored).
func (t *CachedTarget) Summarize(ctx context.Context, it Item) (Output, error) {
	key := Key(struct {
		Target     string
		Options    Options
		Transcript string
	}{t.id, it.Options, hash(it.Transcript)})
	var out Output
	if t.cache.get("target", key, &out) {
		t.cache.saved(out.Usage.EstimatedCostUSD)
		out.Cached = true
		return out, nil
	}
	out, err := t.next.Summarize(ctx, it)
	if err != nil {
		return out, err // failures are not cached: they are asked again
	}
	return out, t.cache.put("target", key, out)
}

// CachedJudge grades from the cache when it can and asks next otherwise.
type CachedJudge struct {
	next  Judge
	cache *Cache
}

var _ Judge = (*CachedJudge)(nil)

// NewCachedJudge caches next's grades in c, keyed by the judge's name and
// rubric version and everything the rubric shows it.
func NewCachedJudge(next Judge, c *Cache) *CachedJudge { return &CachedJudge{next: next, cache: c} }

// Name returns the judge's name.
func (j *CachedJudge) Name() string { return j.next.Name() }

// RubricVersion returns the judge's rubric version.
func (j *CachedJudge) RubricVersion() string { return j.next.RubricVersion() }

// Grade returns the cached grade of out, or next's (then stored).
func (j *CachedJudge) Grade(ctx context.Context, it Item, out Output) (Grade, error) {
	key := Key(struct {
		Judge, Rubric, Transcript, Summary string
		Must                               [][]string
		Sections                           []string
		Structured                         string
	}{j.next.Name(), j.next.RubricVersion(), hash(it.Transcript), hash(out.Summary), it.Must, it.Options.Sections, structured(it, out)})
	var g Grade
	if j.cache.get("judge", key, &g) {
		j.cache.saved(g.Usage.EstimatedCostUSD)
		g.Cached = true
		return g, nil
	}
	g, err := j.next.Grade(ctx, it, out)
	if err != nil {
		return g, err
	}
	return g, j.cache.put("judge", key, g)
}
