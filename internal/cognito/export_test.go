package cognito

// TokenGroups exposes tokenGroups to the tests' token issuer.
var TokenGroups = tokenGroups
