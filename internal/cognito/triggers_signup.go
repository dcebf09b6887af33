package cognito

import (
	"context"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

// Pre sign-up and post confirmation triggers.

// preSignUpRequest is the request of a pre sign-up event. validationData is null when the
// request had none, clientMetadata absent.
type preSignUpRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	ValidationData map[string]string `json:"validationData"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

// preSignUpResponse is the response of a pre sign-up event (Cognito pre-fills false).
type preSignUpResponse struct {
	AutoConfirmUser bool `json:"autoConfirmUser"`
	AutoVerifyEmail bool `json:"autoVerifyEmail"`
	AutoVerifyPhone bool `json:"autoVerifyPhone"`
}

// preSignUp runs pool p's pre sign-up trigger, if any, for a user about to be created with
// canonical user name name and attributes attrs (PreSignUp_SignUp or PreSignUp_AdminCreateUser).
func (s *Service) preSignUp(ctx context.Context, p *UserPool, source, name, clientID string, attrs map[string]string,
	validation []Attribute, meta map[string]string) (preSignUpResponse, error) {
	var r preSignUpResponse
	arn := triggersOf(p).PreSignUp
	if arn == "" {
		return r, nil
	}
	req := preSignUpRequest{UserAttributes: attrs, ValidationData: attributeMap(validation), ClientMetadata: metadata(meta)}
	f, err := s.invokeTrigger(ctx, p, trigPreSignUp, arn, s.newEvent(p, source, name, clientID, req, preSignUpResponse{}))
	if err != nil {
		return r, err
	}
	err = f.members(map[string]any{"autoConfirmUser": &r.AutoConfirmUser, "autoVerifyEmail": &r.AutoVerifyEmail, "autoVerifyPhone": &r.AutoVerifyPhone})
	return r, err
}

// apply applies a sign-up's pre sign-up response to the new user's attributes (AWS: an address
// can be verified only for a user who is confirmed too, and must be present). It reports
// whether the user is confirmed.
func (r preSignUpResponse) apply(attrs map[string]string) (confirmed bool, err error) {
	if (r.AutoVerifyEmail || r.AutoVerifyPhone) && !r.AutoConfirmUser {
		return false, errInvalidParam("Phone or email cannot be auto verified, when user is not being auto confirmed.")
	}
	for attr, on := range map[string]bool{"email": r.AutoVerifyEmail, "phone_number": r.AutoVerifyPhone} {
		if !on {
			continue
		}
		if attrs[attr] == "" {
			return false, errInvalidParam("%s cannot be auto verified: the user has no %s attribute.", attr, attr)
		}
		attrs[attr+"_verified"] = "true"
	}
	return r.AutoConfirmUser, nil
}

// postConfirmationRequest is the request of a post confirmation event.
type postConfirmationRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

// postConfirmation runs pool p's post confirmation trigger, if any, for user u just confirmed
// (PostConfirmation_ConfirmSignUp) or just given a new password with a code
// (PostConfirmation_ConfirmForgotPassword). It runs after the change has committed: as in
// Cognito, a failing trigger fails the request but the user stays confirmed.
func (s *Service) postConfirmation(ctx context.Context, p *UserPool, u *userRecord, source, clientID string, meta map[string]string) error {
	arn := triggersOf(p).PostConfirmation
	if arn == "" {
		return nil
	}
	req := postConfirmationRequest{UserAttributes: eventAttributes(p, u), ClientMetadata: metadata(meta)}
	_, err := s.invokeTrigger(ctx, p, trigPostConfirmation, arn, s.newEvent(p, source, u.Username, clientID, req, emptyResponse{}))
	return err
}

// errCustomAuthNotConfigured is the error for CUSTOM_AUTH in a pool without the custom
// authentication triggers.
func errCustomAuthNotConfigured() error {
	return awserr.New(awserr.InvalidParameter, "Custom auth lambda trigger is not configured for the user pool.")
}
