// Package awsmodel embeds AWS's API models for the services Gatehouse emulates and validates requests against them exactly as AWS does.
package awsmodel

//go:generate go run ./gen -src ../../../shared/aws-models -out models
