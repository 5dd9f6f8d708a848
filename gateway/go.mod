module github.com/aegis-oss/aegis/gateway

go 1.26.8

require github.com/aegis-oss/aegis/schema v0.0.0

replace github.com/aegis-oss/aegis/schema => ../schema
