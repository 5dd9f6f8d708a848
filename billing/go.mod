module github.com/aegis-oss/aegis/billing

go 1.26.8
