package sigv4

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Vectors from AWS's published SigV4 test suite (aws-sig-v4-test-suite: key AKIDEXAMPLE,
// secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, us-east-1, service "service",
// 20150830T123600Z). Each gives the request, the canonical request (creq), the SHA-256 of the
// creq in the string to sign (sts) and the Authorization header's signature.

const suiteToken = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="

const emptySHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

type suiteVector struct {
	name    string
	method  string
	path    string // as on the request line
	query   string // raw
	headers [][2]string
	signed  string
	creq    string // canonical URI + "\n" + canonical query + "\n" + canonical headers (between method and signed headers)
	sts     string // hex SHA-256 of the full canonical request
	sig     string
	// wire is false when Go cannot put this path on the wire unchanged (raw space, raw UTF-8),
	// so only the canonicalization functions are checked.
	wire bool
}

var suiteHost = [2]string{"Host", "example.amazonaws.com"}
var suiteDate = [2]string{"X-Amz-Date", "20150830T123600Z"}

const suiteStdHeaders = "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n"

var suiteVectors = []suiteVector{
	{name: "get-vanilla", method: "GET", path: "/", signed: "host;x-amz-date",
		creq: "/\n\n" + suiteStdHeaders,
		sts:  "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
		sig:  "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", wire: true},
	{name: "get-vanilla-empty-query-key", method: "GET", path: "/", query: "Param1=value1", signed: "host;x-amz-date",
		creq: "/\nParam1=value1\n" + suiteStdHeaders,
		sts:  "1e24db194ed7d0eec2de28d7369675a243488e08526e8c1c73571282f7c517ab",
		sig:  "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb", wire: true},
	{name: "get-vanilla-query-order-key", method: "GET", path: "/", query: "Param1=value2&Param1=Value1", signed: "host;x-amz-date",
		creq: "/\nParam1=Value1&Param1=value2\n" + suiteStdHeaders,
		sts:  "704b4cef673542d84cdff252633f065e8daeba5f168b77116f8b1bcaf3d38f89",
		sig:  "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1", wire: true},
	{name: "get-vanilla-query-order-key-case", method: "GET", path: "/", query: "Param2=value2&Param1=value1", signed: "host;x-amz-date",
		creq: "/\nParam1=value1&Param2=value2\n" + suiteStdHeaders,
		sts:  "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
		sig:  "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500", wire: true},
	{name: "get-vanilla-query-order-value", method: "GET", path: "/", query: "Param1=value2&Param1=value1", signed: "host;x-amz-date",
		creq: "/\nParam1=value1&Param1=value2\n" + suiteStdHeaders,
		sts:  "c968629d70850097a2d8781c9bf7edcb988b04cac14cca9be4acc3595f884606",
		sig:  "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694", wire: true},
	{name: "get-vanilla-query-unreserved", method: "GET", path: "/",
		query:  "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
		signed: "host;x-amz-date",
		creq:   "/\n-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n" + suiteStdHeaders,
		sts:    "c30d4703d9f799439be92736156d47ccfb2d879ddf56f5befa6d1d6aab979177",
		sig:    "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197", wire: true},
	{name: "get-vanilla-utf8-query", method: "GET", path: "/", query: "ሴ=bar", signed: "host;x-amz-date",
		creq: "/\n%E1%88%B4=bar\n" + suiteStdHeaders,
		sts:  "eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073",
		sig:  "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04", wire: true},
	{name: "get-unreserved", method: "GET", path: "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", signed: "host;x-amz-date",
		creq: "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n\n" + suiteStdHeaders,
		sts:  "6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9",
		sig:  "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f", wire: true},
	{name: "get-utf8", method: "GET", path: "/ሴ", signed: "host;x-amz-date",
		creq: "/%E1%88%B4\n\n" + suiteStdHeaders},
	{name: "get-space", method: "GET", path: "/example space/", signed: "host;x-amz-date",
		creq: "/example%20space/\n\n" + suiteStdHeaders,
		sts:  "63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86",
		sig:  "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"},
	{name: "get-slashes", method: "GET", path: "//example//", signed: "host;x-amz-date",
		creq: "/example/\n\n" + suiteStdHeaders,
		sts:  "cb96b4ac96d501f7c5c15bc6d67b3035061cfced4af6585ad927f7e6c985c015",
		sig:  "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84", wire: true},
	{name: "get-relative-relative", method: "GET", path: "/example1/example2/../..", signed: "host;x-amz-date",
		creq: "/\n\n" + suiteStdHeaders,
		sts:  "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
		sig:  "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", wire: true},
	{name: "get-slash-pointless-dot", method: "GET", path: "/./example", signed: "host;x-amz-date",
		creq: "/example\n\n" + suiteStdHeaders,
		sts:  "214d50c111a8edc4819da6a636336472c916b5240f51e9a51b5c3305180cf702",
		sig:  "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5", wire: true},
	{name: "get-header-key-duplicate", method: "GET", path: "/", signed: "host;my-header1;x-amz-date",
		headers: [][2]string{{"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}},
		creq:    "/\n\nhost:example.amazonaws.com\nmy-header1:value2,value2,value1\nx-amz-date:20150830T123600Z\n",
		sts:     "dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c",
		sig:     "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea", wire: true},
	{name: "get-header-value-order", method: "GET", path: "/", signed: "host;my-header1;x-amz-date",
		headers: [][2]string{{"My-Header1", "value4"}, {"My-Header1", "value1"}, {"My-Header1", "value3"}, {"My-Header1", "value2"}},
		creq:    "/\n\nhost:example.amazonaws.com\nmy-header1:value4,value1,value3,value2\nx-amz-date:20150830T123600Z\n",
		sts:     "31ce73cd3f3d9f66977ad3dd957dc47af14df92fcd8509f59b349e9137c58b86",
		sig:     "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01", wire: true},
	{name: "get-header-value-trim", method: "GET", path: "/", signed: "host;my-header1;my-header2;x-amz-date",
		headers: [][2]string{{"My-Header1", " value1"}, {"My-Header2", ` "a   b   c"`}},
		creq:    "/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\nx-amz-date:20150830T123600Z\n",
		sts:     "a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
		sig:     "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736", wire: true},
	{name: "post-vanilla", method: "POST", path: "/", signed: "host;x-amz-date",
		creq: "/\n\n" + suiteStdHeaders,
		sts:  "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
		sig:  "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b", wire: true},
	{name: "post-vanilla-query", method: "POST", path: "/", query: "Param1=value1", signed: "host;x-amz-date",
		creq: "/\nParam1=value1\n" + suiteStdHeaders,
		sts:  "9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd",
		sig:  "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11", wire: true},
	{name: "post-header-key-sort", method: "POST", path: "/", signed: "host;my-header1;x-amz-date",
		headers: [][2]string{{"My-Header1", "value1"}},
		creq:    "/\n\nhost:example.amazonaws.com\nmy-header1:value1\nx-amz-date:20150830T123600Z\n",
		sts:     "9368318c2967cf6de74404b30c65a91e8f6253e0a8659d6d5319f1a812f87d65",
		sig:     "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c", wire: true},
	{name: "post-header-value-case", method: "POST", path: "/", signed: "host;my-header1;x-amz-date",
		headers: [][2]string{{"My-Header1", "VALUE1"}},
		creq:    "/\n\nhost:example.amazonaws.com\nmy-header1:VALUE1\nx-amz-date:20150830T123600Z\n",
		sts:     "d51ced243e649e3de6ef63afbbdcbca03131a21a7103a1583706a64618606a93",
		sig:     "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d", wire: true},
	{name: "post-sts-header-before", method: "POST", path: "/", signed: "host;x-amz-date;x-amz-security-token",
		headers: [][2]string{{"X-Amz-Security-Token", suiteToken}},
		creq:    "/\n\n" + suiteStdHeaders + "x-amz-security-token:" + suiteToken + "\n",
		sts:     "c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6",
		sig:     "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead", wire: true},
	{name: "post-sts-header-after", method: "POST", path: "/", signed: "host;x-amz-date",
		headers: [][2]string{{"X-Amz-Security-Token", suiteToken}},
		creq:    "/\n\n" + suiteStdHeaders,
		sts:     "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
		sig:     "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b", wire: true},
}

func (sv suiteVector) request() *http.Request {
	r := &http.Request{
		Method: sv.method,
		Host:   suiteHost[1],
		URL:    &url.URL{Path: sv.path, RawQuery: sv.query},
		Header: http.Header{},
	}
	for _, h := range append([][2]string{suiteDate}, sv.headers...) {
		r.Header.Add(h[0], h[1])
	}
	return r
}

func TestAWSSuiteCanonicalization(t *testing.T) {
	scope := Scope{AccessKeyID: "AKIDEXAMPLE", Date: "20150830", Region: "us-east-1", Service: "service", Terminator: "aws4_request"}
	key := signingKey(testSecret, scope)
	for _, sv := range suiteVectors {
		t.Run(sv.name, func(t *testing.T) {
			r := sv.request()
			signed := strings.Split(sv.signed, ";")
			// The suite signs the request-line path encoded once more, normalized.
			creq := canonicalRequest(r, canonicalURI(normalizePath(sv.path)), canonicalQuery(parseQuery(sv.query), ""), signed, emptySHA)
			want := sv.method + "\n" + sv.creq + "\n" + sv.signed + "\n" + emptySHA
			if creq != want {
				t.Fatalf("canonical request =\n%s\nwant\n%s", creq, want)
			}
			if sv.sts == "" {
				return
			}
			sts := stringToSign("20150830T123600Z", scope.String(), creq)
			if wantSTS := "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n" + sv.sts; sts != wantSTS {
				t.Fatalf("string to sign =\n%s\nwant\n%s", sts, wantSTS)
			}
			if got := signature(key, sts); got != sv.sig {
				t.Fatalf("signature = %s, want %s", got, sv.sig)
			}
		})
	}
}

func TestAWSSuiteVerify(t *testing.T) {
	v := &Verifier{
		Store: StaticStore{"AKIDEXAMPLE": {AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: testSecret}},
		Now:   func() time.Time { return time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC) },
	}
	temp := &Verifier{
		Store: StaticStore{"AKIDEXAMPLE": {AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: testSecret, SessionToken: suiteToken}},
		Now:   v.Now,
	}
	for _, sv := range suiteVectors {
		if !sv.wire {
			continue
		}
		t.Run(sv.name, func(t *testing.T) {
			r := sv.request()
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders="+sv.signed+", Signature="+sv.sig)
			vv := v
			if r.Header.Get("X-Amz-Security-Token") != "" {
				vv = temp
			}
			if _, err := vv.Verify(r, nil, "service"); err != nil {
				t.Fatalf("Verify: %v", err)
			}
		})
	}
}

// TestAWSDocsIAMExample is the worked example in AWS's SigV4 documentation: IAM ListUsers.
func TestAWSDocsIAMExample(t *testing.T) {
	r := httptestRequest(http.MethodGet, "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08", nil)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	r.Header.Set("X-Amz-Date", "20150830T123600Z")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "+
		"SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
	v := &Verifier{
		Store: StaticStore{"AKIDEXAMPLE": {AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: testSecret}},
		Now:   func() time.Time { return time.Date(2015, 8, 30, 12, 40, 0, 0, time.UTC) },
	}
	if _, err := v.Verify(r, nil, "iam"); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}
