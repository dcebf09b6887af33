package route

// DefaultStage is the name of the stage served at the root of the API's URL.
const DefaultStage = "$default"

// SelectStage picks the stage of an HTTP API that serves a request, as API Gateway does before
// it selects a route, and returns the path the route is then selected with.
//
// path is the escaped request path as it follows the API's host ("/dev/pets"); stages are the
// names of the API's stages. A named stage is served under "/<name>": if the first path segment
// (percent-decoded, compared case-sensitively) names one of the stages, that stage is selected
// and rest is the remainder of the path, "/" if nothing follows ("/dev" and "/dev/" both give
// "/"). Otherwise the $default stage, if the API has one, serves the whole path unchanged;
// "$default" itself is never matched as a path segment. With neither, ok is false and the
// response is 404 {"message":"Not Found"}. An empty path means "/".
//
// SelectStage does not allocate unless the first segment has percent escapes.
func SelectStage(path string, stages []string) (stage, rest string, ok bool) {
	if path == "" {
		path = "/"
	}
	if path[0] == '/' && len(path) > 1 {
		first, tail := path[1:], ""
		for i := 0; i < len(first); i++ {
			if first[i] == '/' {
				first, tail = first[:i], first[i:]
				break
			}
		}
		if first != "" {
			name := unescape(first)
			for _, s := range stages {
				if s == name && s != DefaultStage {
					if tail == "" {
						tail = "/"
					}
					return s, tail, true
				}
			}
		}
	}
	for _, s := range stages {
		if s == DefaultStage {
			return s, path, true
		}
	}
	return "", "", false
}
