// Stands in for github.com/abbot/go-http-auth, see ../README.md.
module github.com/abbot/go-http-auth

go 1.26.0

require baton.dev/upstream/abbot-go-http-auth v0.4.0
