package cognito

import "strings"

// Storage key layout. Every key of the user-pool domain starts with "cog/". Components are
// separated by "/" and values that may contain "/" come last or are followed by "\x00".
const (
	kPool        = "cog/pool/"    // cog/pool/<poolId> → poolRecord
	kClient      = "cog/client/"  // cog/client/<poolId>/<clientId> → clientRecord
	kClientIndex = "cog/cid/"     // cog/cid/<clientId> → poolId
	kUser        = "cog/user/"    // cog/user/<poolId>/<userKey> → userRecord
	kSub         = "cog/sub/"     // cog/sub/<poolId>/<sub> → userKey
	kAlias       = "cog/alias/"   // cog/alias/<poolId>/<attr>/<normalized value> → userKey
	kSearch      = "cog/search/"  // cog/search/<poolId>/<attr>/<normalized value>\x00<userKey> → ""
	kCode        = "cog/code/"    // cog/code/<poolId>/<userKey>\x00<purpose> → codeRecord (and \x00#failures)
	kGroup       = "cog/group/"   // cog/group/<poolId>/<groupName> → Group
	kGroupMember = "cog/gmember/" // cog/gmember/<poolId>/<groupName>\x00<userKey> → ""
	kUserGroup   = "cog/ugroup/"  // cog/ugroup/<poolId>/<userKey>\x00<groupName> → ""
	kResource    = "cog/rs/"      // cog/rs/<poolId>/<identifier> → ResourceServer
	kDomain      = "cog/domain/"  // cog/domain/<domain> → DomainDescription
)

func poolKey(pool string) string               { return kPool + pool }
func clientKey(pool, client string) string     { return kClient + pool + "/" + client }
func clientPrefix(pool string) string          { return kClient + pool + "/" }
func clientIndexKey(client string) string      { return kClientIndex + client }
func userKey(pool, ukey string) string         { return kUser + pool + "/" + ukey }
func userPrefix(pool string) string            { return kUser + pool + "/" }
func subKey(pool, sub string) string           { return kSub + pool + "/" + sub }
func aliasKey(pool, attr, value string) string { return kAlias + pool + "/" + attr + "/" + value }
func searchPrefix(pool, attr string) string    { return kSearch + pool + "/" + attr + "/" }
func searchKey(pool, attr, value, ukey string) string {
	return searchPrefix(pool, attr) + value + "\x00" + ukey
}
func codeKey(pool, ukey, purpose string) string { return codePrefix(pool, ukey) + purpose }
func codePrefix(pool, ukey string) string       { return kCode + pool + "/" + ukey + "\x00" }
func groupKey(pool, name string) string         { return kGroup + pool + "/" + name }
func groupPrefix(pool string) string            { return kGroup + pool + "/" }
func memberPrefix(pool, group string) string    { return kGroupMember + pool + "/" + group + "\x00" }
func userGroupPrefix(pool, ukey string) string  { return kUserGroup + pool + "/" + ukey + "\x00" }
func resourceKey(pool, id string) string        { return kResource + pool + "/" + id }
func resourcePrefix(pool string) string         { return kResource + pool + "/" }
func domainKey(domain string) string            { return kDomain + domain }

// poolPrefixes lists every key prefix holding data of one pool, for DeleteUserPool.
func poolPrefixes(pool string) []string {
	out := []string{}
	for _, p := range []string{kClient, kUser, kSub, kAlias, kSearch, kCode, kGroup, kGroupMember, kUserGroup, kResource} {
		out = append(out, p+pool+"/")
	}
	return out
}

// lastComponent returns what follows the final sep in key.
func lastComponent(key, sep string) string {
	if i := strings.LastIndex(key, sep); i >= 0 {
		return key[i+len(sep):]
	}
	return key
}
