package local

// repeats reports whether sentence i repeats any of chosen (see redundant
// and overlapping). Its vector is spread out by term once, so that each
// comparison costs the length of the other vector.
func (a *analysis) repeats(i int, chosen []int) bool {
	if len(chosen) == 0 {
		return false
	}
	a.spread.set(i, a.vecs[i])
	for _, j := range chosen {
		if cos, shared, overlap := a.spread.similarity(a.vecs[j]); cos > redundant || shared >= 2 && overlap >= overlapping {
			return true
		}
	}
	return false
}

// spread is one sentence's vector laid out by term.
type spread struct {
	terms int       // how many terms the call has
	w     []float32 // the weight of each term, where stamp says it is set
	stamp []int32   // by term: 1 + the sentence w holds it for
	of    int32     // 1 + the sentence it holds
	n     int       // its number of terms
}

// set lays out vec, sentence i's vector, unless it is laid out already.
func (sp *spread) set(i int, vec []weight) {
	if sp.of == int32(i)+1 {
		return
	}
	if sp.w == nil {
		sp.w, sp.stamp = make([]float32, sp.terms), make([]int32, sp.terms)
	}
	sp.of, sp.n = int32(i)+1, len(vec)
	for _, t := range vec {
		sp.w[t.term], sp.stamp[t.term] = t.w, sp.of
	}
}

// similarity is similarity(vec, b) for vec, the vector laid out, to the
// last bit: b is sorted by term, so the products are added in the same
// order.
func (sp *spread) similarity(b []weight) (cosine float64, shared int, overlap float64) {
	for _, t := range b {
		if sp.stamp[t.term] == sp.of {
			cosine += float64(sp.w[t.term]) * float64(t.w)
			shared++
		}
	}
	if n := min(sp.n, len(b)); n > 0 {
		overlap = float64(shared) / float64(n)
	}
	return cosine, shared, overlap
}

// similarity compares two unit vectors sorted by term: their cosine, the
// terms they share, and the share of the shorter one's terms that the other
// also has. The
// overlap catches templated repeats ("I restarted the modem 3 times", "I
// restarted the router 5 times") whose rare terms keep the cosine low.
func similarity(a, b []weight) (cosine float64, shared int, overlap float64) {
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i].term < b[j].term:
			i++
		case a[i].term > b[j].term:
			j++
		default:
			cosine += float64(a[i].w) * float64(b[j].w)
			shared++
			i++
			j++
		}
	}
	if n := min(len(a), len(b)); n > 0 {
		overlap = float64(shared) / float64(n)
	}
	return cosine, shared, overlap
}
