package e2e

import (
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

func scope(name, desc string) types.ResourceServerScopeType {
	return types.ResourceServerScopeType{ScopeName: aws.String(name), ScopeDescription: aws.String(desc)}
}

func TestResourceServerCRUD(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	pool := aws.String(e.pool("resources"))
	const id = "https://api.example.com"
	created, err := e.c.CreateResourceServer(e.ctx, &cip.CreateResourceServerInput{UserPoolId: pool, Identifier: aws.String(id),
		Name: aws.String("Example API"), Scopes: []types.ResourceServerScopeType{scope("read", "Read things"), scope("write", "Write things")}})
	if err != nil {
		t.Fatal(err)
	}
	want := &types.ResourceServerType{UserPoolId: pool, Identifier: aws.String(id), Name: aws.String("Example API"),
		Scopes: []types.ResourceServerScopeType{scope("read", "Read things"), scope("write", "Write things")}}
	sameJSON(t, "CreateResourceServer", created.ResourceServer, want)
	got, err := e.c.DescribeResourceServer(e.ctx, &cip.DescribeResourceServerInput{UserPoolId: pool, Identifier: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "DescribeResourceServer", got.ResourceServer, want)

	_, err = e.c.CreateResourceServer(e.ctx, &cip.CreateResourceServerInput{UserPoolId: pool, Identifier: aws.String(id), Name: aws.String("again")})
	testenv.WantError(t, err, "InvalidParameterException", "")
	_, err = e.c.CreateResourceServer(e.ctx, &cip.CreateResourceServerInput{UserPoolId: pool, Identifier: aws.String("dups"), Name: aws.String("dups"),
		Scopes: []types.ResourceServerScopeType{scope("read", "a"), scope("read", "b")}})
	testenv.WantError(t, err, "InvalidParameterException", "")

	// The scopes are usable by app clients as "<identifier>/<scope>".
	client := e.createClient(&cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("m2m"), GenerateSecret: true,
		AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials},
		AllowedOAuthScopes: []string{id + "/write"}})
	if !slices.Equal(client.AllowedOAuthScopes, []string{id + "/write"}) {
		t.Errorf("client scopes = %v", client.AllowedOAuthScopes)
	}

	// UpdateResourceServer replaces the name and the scopes.
	upd, err := e.c.UpdateResourceServer(e.ctx, &cip.UpdateResourceServerInput{UserPoolId: pool, Identifier: aws.String(id),
		Name: aws.String("Renamed API"), Scopes: []types.ResourceServerScopeType{scope("admin", "Administer")}})
	if err != nil {
		t.Fatal(err)
	}
	want = &types.ResourceServerType{UserPoolId: pool, Identifier: aws.String(id), Name: aws.String("Renamed API"),
		Scopes: []types.ResourceServerScopeType{scope("admin", "Administer")}}
	sameJSON(t, "UpdateResourceServer", upd.ResourceServer, want)
	got, err = e.c.DescribeResourceServer(e.ctx, &cip.DescribeResourceServerInput{UserPoolId: pool, Identifier: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "DescribeResourceServer after update", got.ResourceServer, want)
	_, err = e.c.CreateUserPoolClient(e.ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("old-scope"), GenerateSecret: true,
		AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials},
		AllowedOAuthScopes: []string{id + "/read"}})
	testenv.WantError(t, err, "ScopeDoesNotExistException", "Invalid scope requested: "+id+"/read")

	if _, err := e.c.DeleteResourceServer(e.ctx, &cip.DeleteResourceServerInput{UserPoolId: pool, Identifier: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	_, err = e.c.DescribeResourceServer(e.ctx, &cip.DescribeResourceServerInput{UserPoolId: pool, Identifier: aws.String(id)})
	testenv.WantError(t, err, "ResourceNotFoundException", "")
	_, err = e.c.UpdateResourceServer(e.ctx, &cip.UpdateResourceServerInput{UserPoolId: pool, Identifier: aws.String(id), Name: aws.String("x")})
	testenv.WantError(t, err, "ResourceNotFoundException", "")
	_, err = e.c.DeleteResourceServer(e.ctx, &cip.DeleteResourceServerInput{UserPoolId: pool, Identifier: aws.String(id)})
	testenv.WantError(t, err, "ResourceNotFoundException", "")
	_, err = e.c.CreateResourceServer(e.ctx, &cip.CreateResourceServerInput{UserPoolId: aws.String(unknownPool), Identifier: aws.String("api"), Name: aws.String("api")})
	testenv.WantError(t, err, "ResourceNotFoundException", "User pool "+unknownPool+" does not exist.")

	// Without scopes, a resource server lists none.
	bare, err := e.c.CreateResourceServer(e.ctx, &cip.CreateResourceServerInput{UserPoolId: pool, Identifier: aws.String("bare"), Name: aws.String("Bare")})
	if err != nil {
		t.Fatal(err)
	}
	if len(bare.ResourceServer.Scopes) != 0 {
		t.Errorf("scopes = %+v", bare.ResourceServer.Scopes)
	}
}

func TestListResourceServersPagination(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	pool := aws.String(e.pool("many-resources"))
	other := aws.String(e.pool("other"))
	if _, err := e.c.CreateResourceServer(e.ctx, &cip.CreateResourceServerInput{UserPoolId: other, Identifier: aws.String("elsewhere"), Name: aws.String("x")}); err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := range 5 {
		id := fmt.Sprintf("api-%d", i)
		want = append(want, id)
		if _, err := e.c.CreateResourceServer(e.ctx, &cip.CreateResourceServerInput{UserPoolId: pool, Identifier: aws.String(id),
			Name: aws.String("API " + id), Scopes: []types.ResourceServerScopeType{scope("read", "Read")}}); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	pages := 0
	for pg := cip.NewListResourceServersPaginator(e.c, &cip.ListResourceServersInput{UserPoolId: pool, MaxResults: aws.Int32(2)}); pg.HasMorePages(); {
		out, err := pg.NextPage(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(out.ResourceServers) > 2 {
			t.Errorf("page of %d resource servers, MaxResults was 2", len(out.ResourceServers))
		}
		for _, rs := range out.ResourceServers {
			got = append(got, aws.ToString(rs.Identifier))
			if len(rs.Scopes) != 1 || aws.ToString(rs.UserPoolId) != aws.ToString(pool) {
				t.Errorf("listed resource server %+v", rs)
			}
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) || pages != 3 {
		t.Errorf("ListResourceServers = %v in %d pages, want %v in 3", got, pages, want)
	}
	_, err := e.c.ListResourceServers(e.ctx, &cip.ListResourceServersInput{UserPoolId: pool, MaxResults: aws.Int32(51)})
	testenv.WantError(t, err, "InvalidParameterException",
		"1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50")
}

func TestUserPoolDomains(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	pool := aws.String(e.pool("hosted"))
	other := aws.String(e.pool("other"))
	const domain = "gatehouse-test-login"

	created, err := e.c.CreateUserPoolDomain(e.ctx, &cip.CreateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String(domain)})
	if err != nil {
		t.Fatal(err)
	}
	if created.CloudFrontDomain != nil {
		t.Errorf("a prefix domain returned CloudFrontDomain %q", aws.ToString(created.CloudFrontDomain))
	}
	d, err := e.c.DescribeUserPoolDomain(e.ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String(domain)})
	if err != nil {
		t.Fatal(err)
	}
	dd := d.DomainDescription
	if aws.ToString(dd.UserPoolId) != aws.ToString(pool) || aws.ToString(dd.Domain) != domain || dd.Status != types.DomainStatusTypeActive ||
		aws.ToString(dd.AWSAccountId) != "000000000000" || dd.CustomDomainConfig != nil {
		t.Errorf("DescribeUserPoolDomain = %+v", dd)
	}
	if p := e.describePool(aws.ToString(pool)); aws.ToString(p.Domain) != domain || p.CustomDomain != nil {
		t.Errorf("DescribeUserPool Domain = %q, CustomDomain = %q", aws.ToString(p.Domain), aws.ToString(p.CustomDomain))
	}

	_, err = e.c.CreateUserPoolDomain(e.ctx, &cip.CreateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("second-prefix")})
	testenv.WantError(t, err, "InvalidParameterException", "")
	_, err = e.c.CreateUserPoolDomain(e.ctx, &cip.CreateUserPoolDomainInput{UserPoolId: other, Domain: aws.String(domain)})
	testenv.WantError(t, err, "InvalidParameterException", "Domain already associated with another user pool.")
	_, err = e.c.CreateUserPoolDomain(e.ctx, &cip.CreateUserPoolDomainInput{UserPoolId: other, Domain: aws.String("my-cognito-login")})
	testenv.WantError(t, err, "InvalidParameterException", "")
	_, err = e.c.CreateUserPoolDomain(e.ctx, &cip.CreateUserPoolDomainInput{UserPoolId: other, Domain: aws.String("Upper-Case")})
	testenv.WantError(t, err, "InvalidParameterException", "")
	_, err = e.c.CreateUserPoolDomain(e.ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(unknownPool), Domain: aws.String("free-prefix")})
	testenv.WantError(t, err, "ResourceNotFoundException", "User pool "+unknownPool+" does not exist.")

	// An unknown domain is described as empty, not as an error.
	empty, err := e.c.DescribeUserPoolDomain(e.ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String("nobody-has-this")})
	if err != nil {
		t.Fatalf("DescribeUserPoolDomain of an unknown domain: %v", err)
	}
	sameJSON(t, "unknown domain", empty.DomainDescription, &types.DomainDescriptionType{})

	upd, err := e.c.UpdateUserPoolDomain(e.ctx, &cip.UpdateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String(domain),
		ManagedLoginVersion: aws.Int32(2)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(upd.ManagedLoginVersion) != 2 {
		t.Errorf("UpdateUserPoolDomain ManagedLoginVersion = %d", aws.ToInt32(upd.ManagedLoginVersion))
	}
	d, err = e.c.DescribeUserPoolDomain(e.ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String(domain)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(d.DomainDescription.ManagedLoginVersion) != 2 {
		t.Errorf("ManagedLoginVersion after update = %d", aws.ToInt32(d.DomainDescription.ManagedLoginVersion))
	}
	_, err = e.c.UpdateUserPoolDomain(e.ctx, &cip.UpdateUserPoolDomainInput{UserPoolId: other, Domain: aws.String(domain), ManagedLoginVersion: aws.Int32(1)})
	testenv.WantError(t, err, "ResourceNotFoundException", "")

	_, err = e.c.DeleteUserPoolDomain(e.ctx, &cip.DeleteUserPoolDomainInput{UserPoolId: other, Domain: aws.String(domain)})
	testenv.WantError(t, err, "ResourceNotFoundException", "")
	if _, err := e.c.DeleteUserPoolDomain(e.ctx, &cip.DeleteUserPoolDomainInput{UserPoolId: pool, Domain: aws.String(domain)}); err != nil {
		t.Fatal(err)
	}
	empty, err = e.c.DescribeUserPoolDomain(e.ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String(domain)})
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "deleted domain", empty.DomainDescription, &types.DomainDescriptionType{})
	if p := e.describePool(aws.ToString(pool)); p.Domain != nil {
		t.Errorf("DescribeUserPool Domain after delete = %q", aws.ToString(p.Domain))
	}
	// The freed prefix can go to another pool, and the pool can take a new one.
	if _, err := e.c.CreateUserPoolDomain(e.ctx, &cip.CreateUserPoolDomainInput{UserPoolId: other, Domain: aws.String(domain)}); err != nil {
		t.Errorf("reuse of a deleted domain: %v", err)
	}
	if _, err := e.c.CreateUserPoolDomain(e.ctx, &cip.CreateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("second-prefix")}); err != nil {
		t.Errorf("new domain after delete: %v", err)
	}
}

// TestCustomUserPoolDomain covers a custom domain (a fully qualified name with a certificate).
// AWS accepts "auth.example.com" in Domain although the published model's DomainType pattern
// allows no dots; the pattern applies to prefix domains only.
func TestCustomUserPoolDomain(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	pool := aws.String(e.pool("custom-domain"))
	const cert = "arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555"
	created, err := e.c.CreateUserPoolDomain(e.ctx, &cip.CreateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("auth.example.com"),
		CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String(cert)}})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(created.CloudFrontDomain) == "" {
		t.Error("a custom domain returned no CloudFrontDomain")
	}
	d, err := e.c.DescribeUserPoolDomain(e.ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String("auth.example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if d.DomainDescription.CustomDomainConfig == nil || aws.ToString(d.DomainDescription.CustomDomainConfig.CertificateArn) != cert ||
		aws.ToString(d.DomainDescription.CloudFrontDistribution) != aws.ToString(created.CloudFrontDomain) {
		t.Errorf("DescribeUserPoolDomain = %+v", d.DomainDescription)
	}
	if p := e.describePool(aws.ToString(pool)); aws.ToString(p.CustomDomain) != "auth.example.com" || p.Domain != nil {
		t.Errorf("DescribeUserPool CustomDomain %q, Domain %q", aws.ToString(p.CustomDomain), aws.ToString(p.Domain))
	}
	const cert2 = "arn:aws:acm:us-east-1:000000000000:certificate/66666666-7777-8888-9999-000000000000"
	if _, err := e.c.UpdateUserPoolDomain(e.ctx, &cip.UpdateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("auth.example.com"),
		CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String(cert2)}}); err != nil {
		t.Fatal(err)
	}
	d, err = e.c.DescribeUserPoolDomain(e.ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String("auth.example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(d.DomainDescription.CustomDomainConfig.CertificateArn) != cert2 {
		t.Errorf("certificate after update = %q", aws.ToString(d.DomainDescription.CustomDomainConfig.CertificateArn))
	}
}

// TestPrefixDomainPattern: a prefix domain must still match the model's DomainType pattern.
func TestPrefixDomainPattern(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	pool := aws.String(e.pool("prefix-pattern"))
	_, err := e.c.CreateUserPoolDomain(e.ctx, &cip.CreateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("Bad_Prefix")})
	testenv.WantError(t, err, "InvalidParameterException",
		`1 validation error detected: Value 'Bad_Prefix' at 'domain' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$`)
}
