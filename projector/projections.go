package projector

// All returns every projection Aegis runs, in a fixed order.
func All() []Projection {
	return []Projection{Audit{}, Accounts{}, Apps{}, Gateway{}}
}

// ByName returns the projection named name.
func ByName(name string) (Projection, bool) {
	for _, p := range All() {
		if p.Name() == name {
			return p, true
		}
	}
	return nil, false
}
