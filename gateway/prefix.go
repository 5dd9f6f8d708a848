package gateway

// PrefixMatches reports whether path lies under the route prefix: prefix is
// "/", or path equals prefix, or path continues prefix with a '/'. So "/v1"
// matches "/v1" and "/v1/users" but not "/v10". A prefix that ends with '/'
// matches every path that starts with it. An empty prefix matches nothing.
// path should be the output of NormalizePath.
func PrefixMatches(path, prefix string) bool {
	n := len(prefix)
	if n == 0 || len(path) < n || path[:n] != prefix {
		return false
	}
	return len(path) == n || prefix[n-1] == '/' || path[n] == '/'
}
