module github.com/aegis-oss/aegis/commands

go 1.26.8
