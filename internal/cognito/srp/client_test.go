package srp

import (
	"io"
	"math/big"

	"github.com/gatehouse-dev/gatehouse/internal/cognito/srp/srpclient"
)

// testClient is the independent client implementation the server is tested against.
type testClient struct{ c *srpclient.Client }

func newTestClient(r io.Reader) (*testClient, error) {
	c, err := srpclient.New(r)
	return &testClient{c}, err
}

func (t *testClient) srpA() string { return t.c.A() }

func (t *testClient) claim(poolName, userIDForSRP, password, saltHex, srpB string, secretBlock []byte, timestamp string) (string, error) {
	return t.c.Claim(poolName, userIDForSRP, password, saltHex, srpB, secretBlock, timestamp)
}

// incHex returns the hex integer h plus one.
func incHex(h string) string {
	n, _ := new(big.Int).SetString(h, 16)
	return n.Add(n, big.NewInt(1)).Text(16)
}
