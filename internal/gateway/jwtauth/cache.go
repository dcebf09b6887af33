package jwtauth

import (
	"container/list"
	"sync"
	"time"
)

// tokenCache is a bounded LRU of verified tokens keyed by cacheKey. An entry lives until the
// token's exp or ttl after it was stored, whichever is first. Entries are never modified once
// stored.
type tokenCache struct {
	max int // <= 0: disabled
	ttl time.Duration

	mu sync.Mutex
	m  map[[32]byte]*list.Element
	ll list.List // of *cacheEntry, most recently used first
}

type cacheEntry struct {
	key     [32]byte
	expires time.Time
	v       *verified
}

func newTokenCache(size int, ttl time.Duration) *tokenCache {
	return &tokenCache{max: size, ttl: ttl, m: map[[32]byte]*list.Element{}}
}

// get returns the entry for key if it has not expired at now.
func (c *tokenCache) get(key [32]byte, now time.Time) (*verified, bool) {
	if c.max <= 0 {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.m[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	if !now.Before(e.expires) {
		c.removeElement(el)
		return nil, false
	}
	c.ll.MoveToFront(el)
	return e.v, true
}

// put stores v under key, evicting the least recently used entry when full.
func (c *tokenCache) put(key [32]byte, v *verified, now time.Time) {
	if c.max <= 0 {
		return
	}
	expires := now.Add(c.ttl)
	if v.times.exp.Before(expires) {
		expires = v.times.exp
	}
	if !now.Before(expires) {
		return
	}
	e := &cacheEntry{key: key, expires: expires, v: v}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.m[key]; ok {
		el.Value = e
		c.ll.MoveToFront(el)
		return
	}
	c.m[key] = c.ll.PushFront(e)
	for c.ll.Len() > c.max {
		c.removeElement(c.ll.Back())
	}
}

// remove drops key.
func (c *tokenCache) remove(key [32]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.m[key]; ok {
		c.removeElement(el)
	}
}

// removeIssuer drops every entry verified against issuer.
func (c *tokenCache) removeIssuer(issuer string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for el := c.ll.Front(); el != nil; {
		next := el.Next()
		if el.Value.(*cacheEntry).v.issuer == issuer {
			c.removeElement(el)
		}
		el = next
	}
}

// reset drops every entry.
func (c *tokenCache) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = map[[32]byte]*list.Element{}
	c.ll.Init()
}

// size returns the number of entries.
func (c *tokenCache) size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len()
}

func (c *tokenCache) removeElement(el *list.Element) {
	delete(c.m, el.Value.(*cacheEntry).key)
	c.ll.Remove(el)
}
