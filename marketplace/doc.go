// Package marketplace runs the add-on marketplace: providers, plans,
// provisioning sagas against providers' APIs, single sign-on into provider
// dashboards, and delivery of events to provider subscribers. It builds on
// the projector's runner.
package marketplace
