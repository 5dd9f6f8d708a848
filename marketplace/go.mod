module github.com/aegis-oss/aegis/marketplace

go 1.26.8
