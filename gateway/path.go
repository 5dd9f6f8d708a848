package gateway

// NormalizePath appends to dst[:0] the request path (raw, without its
// query) as the gateway evaluates it and forwards it, and reports whether
// the path is acceptable. Routing, authorization and the upstream all see
// this one form, so a path cannot mean one thing to the gateway and another
// to the upstream.
//
// It decodes percent-encoded unreserved characters (letters, digits, "-",
// ".", "_", "~"), so "%2e%2e" is "..", and keeps every other escape with
// upper-case hex digits. It percent-encodes bytes that may not appear in a
// path (space, '"', '<', '>', '^', '`', '{', '|', '}' and bytes >= 0x80).
// It collapses repeated slashes, resolves "." and ".." segments and keeps a
// trailing slash ("/a/./b/" is "/a/b/", a final "." or ".." leaves one).
//
// It returns dst[:0] and ok == false when raw is empty or does not start
// with '/', holds a backslash, a control byte, '?' or '#', an invalid
// percent escape, an encoded slash (%2F), backslash (%5C) or NUL (%00), a
// double-encoded dot, slash, backslash, NUL or percent sign (%252E, %252F,
// %255C, %2500, %2525), or a ".." that climbs above the root, encoded or
// not ("/%2e%2e/admin" is rejected; "/x/%2e%2e/admin" is "/admin").
//
// It allocates nothing when cap(dst) >= 3*len(raw) (len(raw) suffices
// unless bytes get percent-encoded). dst and raw must not overlap.
func NormalizePath(dst []byte, raw []byte) ([]byte, bool) {
	out := dst[:0]
	if len(raw) == 0 || raw[0] != '/' {
		return out[:0], false
	}
	i := 0
	for i < len(raw) {
		// raw[i] is the '/' that starts a segment.
		i++
		start := len(out)
		out = append(out, '/')
		for i < len(raw) && raw[i] != '/' {
			c := raw[i]
			switch {
			case c == '%':
				if i+2 >= len(raw) {
					return out[:0], false
				}
				hi, ok1 := unhex(raw[i+1])
				lo, ok2 := unhex(raw[i+2])
				if !ok1 || !ok2 {
					return out[:0], false
				}
				d := hi<<4 | lo
				switch {
				case d == '/' || d == '\\' || d == 0:
					return out[:0], false
				case unreserved(d):
					out = append(out, d)
				default:
					out = append(out, '%', upperHex[hi], upperHex[lo])
				}
				i += 3
				continue
			case c < 0x20 || c == 0x7f || c == '\\' || c == '?' || c == '#':
				return out[:0], false
			case needsEscape(c):
				out = append(out, '%', upperHex[c>>4], upperHex[c&0xf])
			default:
				out = append(out, c)
			}
			i++
		}
		last := i == len(raw)
		switch seg := out[start+1:]; {
		case len(seg) == 0:
			if !last { // "//": drop the empty segment
				out = out[:start]
			}
		case len(seg) == 1 && seg[0] == '.':
			out = out[:start]
			if last {
				out = append(out, '/')
			}
		case len(seg) == 2 && seg[0] == '.' && seg[1] == '.':
			if start == 0 {
				return out[:0], false // above the root
			}
			out = out[:start]
			for len(out) > 0 && out[len(out)-1] != '/' {
				out = out[:len(out)-1]
			}
			// out now ends with the parent's '/'; keep it only as a
			// trailing slash.
			if !last {
				out = out[:len(out)-1]
			}
		default:
			if doubleEncoded(seg) {
				return out[:0], false
			}
		}
	}
	if len(out) == 0 {
		out = append(out, '/')
	}
	return out, true
}

const upperHex = "0123456789ABCDEF"

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// unreserved reports whether c is an RFC 3986 unreserved character, which
// means the same encoded or not.
func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// needsEscape reports whether a raw byte may not appear in a path and is
// forwarded percent-encoded.
func needsEscape(c byte) bool {
	switch c {
	case ' ', '"', '<', '>', '^', '`', '{', '|', '}':
		return true
	}
	return c >= 0x80
}

// doubleEncoded reports whether seg holds "%25" followed by an escape of a
// dot, slash, backslash, NUL or percent sign: an upstream that decodes once
// more would see a different path than the gateway checked. It looks at the
// normalized segment, so escapes pieced together from decoded characters
// ("%25%32%65") are caught too.
func doubleEncoded(seg []byte) bool {
	for i := 0; i+4 < len(seg); i++ {
		if seg[i] != '%' || seg[i+1] != '2' || seg[i+2] != '5' {
			continue
		}
		hi, ok1 := unhex(seg[i+3])
		lo, ok2 := unhex(seg[i+4])
		if !ok1 || !ok2 {
			continue
		}
		switch hi<<4 | lo {
		case '.', '/', '\\', 0, '%':
			return true
		}
	}
	return false
}
