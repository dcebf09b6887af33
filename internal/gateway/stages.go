package gateway

import (
	"context"
	"errors"
	"fmt"
	"github.com/gatehouse-dev/gatehouse/internal/awserr"
	"regexp"
	"sort"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// StageInput is CreateStageRequest and UpdateStageRequest (members left out of an update keep
// their values).
type StageInput struct {
	ApiId                string                   `json:"apiId"`
	StageName            string                   `json:"stageName"`
	AccessLogSettings    *AccessLogSettings       `json:"accessLogSettings,omitempty"`
	AutoDeploy           *bool                    `json:"autoDeploy,omitempty"`
	ClientCertificateId  *string                  `json:"clientCertificateId,omitempty"`
	DefaultRouteSettings *RouteSettings           `json:"defaultRouteSettings,omitempty"`
	DeploymentId         *string                  `json:"deploymentId,omitempty"`
	Description          *string                  `json:"description,omitempty"`
	RouteSettings        map[string]RouteSettings `json:"routeSettings,omitempty"`
	StageVariables       map[string]string        `json:"stageVariables,omitempty"`
	Tags                 map[string]string        `json:"tags,omitempty"`
}

// DeploymentInput is CreateDeploymentRequest and UpdateDeploymentRequest.
type DeploymentInput struct {
	ApiId        string  `json:"apiId"`
	DeploymentId string  `json:"deploymentId,omitempty"`
	Description  *string `json:"description,omitempty"`
	StageName    string  `json:"stageName,omitempty"`
}

const (
	maxStages         = 10
	maxStageVariables = 100
)

var (
	stageNameRE   = regexp.MustCompile(`^(\$default|[A-Za-z0-9_\-]{1,128})$`)
	stageVarName  = regexp.MustCompile(`^[A-Za-z0-9_]{1,64}$`)
	stageVarValue = regexp.MustCompile(`^[A-Za-z0-9\-._~:/?#&=,]{0,512}$`)
)

func defaultRouteSettings() *RouteSettings {
	return &RouteSettings{DetailedMetricsEnabled: ptr(false)}
}

// CreateStage adds a stage. With autoDeploy the API's current configuration is deployed to it
// at once.
func (s *Service) CreateStage(ctx context.Context, in *StageInput) (*Stage, error) {
	var out Stage
	err := s.editAPI(ctx, "create stage", in.ApiId, false, func(tx storage.Tx, rec *apiRecord) error {
		if !stageNameRE.MatchString(in.StageName) {
			return badRequest("Stage names can only contain alphanumeric characters, hyphens, and underscores, or be $default. Maximum length is 128 characters.")
		}
		if _, ok := rec.Stages[in.StageName]; ok {
			return conflict("Stage %s already exists", in.StageName)
		}
		if len(rec.Stages) >= maxStages {
			return badRequest("Maximum number of Stages for this API has been reached")
		}
		now := s.now()
		st := Stage{StageName: in.StageName, CreatedDate: now, LastUpdatedDate: now, DefaultRouteSettings: defaultRouteSettings(),
			RouteSettings: map[string]RouteSettings{}, StageVariables: map[string]string{}, Tags: nonNil(in.Tags)}
		if err := s.applyStage(tx, rec, &st, in); err != nil {
			return err
		}
		if rec.Stages == nil {
			rec.Stages = map[string]Stage{}
		}
		rec.Stages[st.StageName] = st
		if st.AutoDeploy {
			if err := s.autoDeploy(tx, rec); err != nil {
				return err
			}
		}
		out = rec.Stages[st.StageName]
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateStage changes a stage.
func (s *Service) UpdateStage(ctx context.Context, in *StageInput) (*Stage, error) {
	var out Stage
	err := s.editAPI(ctx, "update stage", in.ApiId, false, func(tx storage.Tx, rec *apiRecord) error {
		st, ok := rec.Stages[in.StageName]
		if !ok {
			return errChildNotFound("Stage", in.StageName)
		}
		wasAuto := st.AutoDeploy
		if err := s.applyStage(tx, rec, &st, in); err != nil {
			return err
		}
		st.LastUpdatedDate = s.now()
		rec.Stages[st.StageName] = st
		if st.AutoDeploy && !wasAuto {
			if err := s.autoDeploy(tx, rec); err != nil {
				return err
			}
		}
		out = rec.Stages[st.StageName]
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// applyStage applies a create or update request to st.
func (s *Service) applyStage(tx storage.Tx, rec *apiRecord, st *Stage, in *StageInput) error {
	if in.AutoDeploy != nil {
		st.AutoDeploy = *in.AutoDeploy
	}
	if in.DeploymentId != nil {
		if st.AutoDeploy {
			return badRequest("Deployment ID cannot be set on this stage because AutoDeploy is enabled.")
		}
		if _, err := s.deployment(tx, rec.Api.ApiId, *in.DeploymentId); err != nil {
			return err
		}
		st.DeploymentId = *in.DeploymentId
	}
	setStr(&st.ClientCertificateId, in.ClientCertificateId)
	setStr(&st.Description, in.Description)
	if in.AccessLogSettings != nil {
		if len(in.AccessLogSettings.Format) > 3*1024 {
			return badRequest("Access log format must be at most 3 KB")
		}
		st.AccessLogSettings = in.AccessLogSettings
	}
	if in.DefaultRouteSettings != nil {
		if err := validateRouteSettings(in.DefaultRouteSettings); err != nil {
			return err
		}
		st.DefaultRouteSettings = in.DefaultRouteSettings
		if st.DefaultRouteSettings.DetailedMetricsEnabled == nil {
			st.DefaultRouteSettings.DetailedMetricsEnabled = ptr(false)
		}
	}
	if in.RouteSettings != nil {
		for key, rs := range in.RouteSettings {
			if err := validateRouteSettings(&rs); err != nil {
				return err
			}
			found := false
			for _, r := range rec.Routes {
				if r.RouteKey == key {
					found = true
				}
			}
			if !found {
				return notFound("Unable to find Route by key %s within the provided RouteSettings", key)
			}
		}
		st.RouteSettings = in.RouteSettings
	}
	if in.StageVariables != nil {
		if len(in.StageVariables) > maxStageVariables {
			return badRequest("A stage can have at most %d stage variables", maxStageVariables)
		}
		for k, v := range in.StageVariables {
			if !stageVarName.MatchString(k) {
				return badRequest("Stage variable name %s must match [A-Za-z0-9_]{1,64}", k)
			}
			if !stageVarValue.MatchString(v) {
				return badRequest("Stage variable value %s for %s is invalid: it must match [A-Za-z0-9-._~:/?#&=,]{0,512}", v, k)
			}
		}
		st.StageVariables = in.StageVariables
	}
	return nil
}

func validateRouteSettings(rs *RouteSettings) error {
	if rs.ThrottlingBurstLimit != nil && *rs.ThrottlingBurstLimit < 0 {
		return badRequest("ThrottlingBurstLimit must be non-negative")
	}
	if rs.ThrottlingRateLimit != nil && *rs.ThrottlingRateLimit < 0 {
		return badRequest("ThrottlingRateLimit must be non-negative")
	}
	return nil
}

// GetStage returns a stage.
func (s *Service) GetStage(ctx context.Context, api, name string) (*Stage, error) {
	return getChild(ctx, s, "get stage", api, "Stage", name, func(r *apiRecord) map[string]Stage { return r.Stages })
}

// GetStages lists an API's stages.
func (s *Service) GetStages(ctx context.Context, api, maxResults, token string) ([]Stage, string, error) {
	return listChildren(ctx, s, "get stages", api, maxResults, token, func(r *apiRecord) map[string]Stage { return r.Stages },
		func(v Stage) string { return v.StageName })
}

// DeleteStage deletes a stage no custom domain name maps.
func (s *Service) DeleteStage(ctx context.Context, api, name string) error {
	return s.editAPI(ctx, "delete stage", api, false, func(tx storage.Tx, rec *apiRecord) error {
		if _, ok := rec.Stages[name]; !ok {
			return errChildNotFound("Stage", name)
		}
		if err := mappedBy(tx, api, name); err != nil {
			return err
		}
		delete(rec.Stages, name)
		return nil
	})
}

// DeleteAccessLogSettings removes a stage's access logging.
func (s *Service) DeleteAccessLogSettings(ctx context.Context, api, name string) error {
	return s.editStage(ctx, "delete access log settings", api, name, func(st *Stage) error {
		st.AccessLogSettings = nil
		return nil
	})
}

// DeleteRouteSettings removes one route's settings from a stage.
func (s *Service) DeleteRouteSettings(ctx context.Context, api, name, routeKey string) error {
	return s.editStage(ctx, "delete route settings", api, name, func(st *Stage) error {
		if _, ok := st.RouteSettings[routeKey]; !ok {
			return notFound("Unable to find route settings for %s", routeKey)
		}
		delete(st.RouteSettings, routeKey)
		return nil
	})
}

// ResetAuthorizersCache clears a stage's authorizer result cache: the next request to each
// route calls its authorizer again.
func (s *Service) ResetAuthorizersCache(ctx context.Context, api, name string) error {
	return s.editStage(ctx, "reset authorizers cache", api, name, func(st *Stage) error {
		st.LastUpdatedDate = s.now()
		return nil
	})
}

func (s *Service) editStage(ctx context.Context, op, api, name string, fn func(st *Stage) error) error {
	return s.editAPI(ctx, op, api, false, func(_ storage.Tx, rec *apiRecord) error {
		st, ok := rec.Stages[name]
		if !ok {
			return errChildNotFound("Stage", name)
		}
		if err := fn(&st); err != nil {
			return err
		}
		rec.Stages[name] = st
		return nil
	})
}

// snapshot freezes an API's current configuration.
func snapshot(rec *apiRecord) Snapshot {
	sn := Snapshot{ApiId: rec.Api.ApiId, ProtocolType: rec.Api.ProtocolType, Cors: rec.Api.CorsConfiguration,
		Integrations: rec.Integrations, Authorizers: rec.Authorizers}
	sn.Routes = mapValues(rec.Routes)
	sort.Slice(sn.Routes, func(i, j int) bool { return sn.Routes[i].RouteKey < sn.Routes[j].RouteKey })
	return sn
}

// deploy stores a deployment of the API's current configuration.
func (s *Service) deploy(tx storage.Tx, rec *apiRecord, description string, auto bool) (Deployment, error) {
	d := Deployment{DeploymentId: s.newID(deployIDLen), CreatedDate: s.now(), DeploymentStatus: "DEPLOYED",
		Description: description, AutoDeployed: auto}
	return d, storage.InsertJSON(tx, deploymentKey(rec.Api.ApiId, d.DeploymentId), deploymentRecord{Deployment: d, Snapshot: snapshot(rec)})
}

// autoDeploy deploys the API's configuration to every stage with AutoDeploy.
func (s *Service) autoDeploy(tx storage.Tx, rec *apiRecord) error {
	var auto []string
	for name, st := range rec.Stages {
		if st.AutoDeploy {
			auto = append(auto, name)
		}
	}
	deployed := false
	for _, name := range auto {
		deployed = deployed || rec.Stages[name].DeploymentId != ""
	}
	if len(auto) == 0 || len(rec.Routes) == 0 && !deployed {
		return nil // nothing to serve yet
	}
	sort.Strings(auto)
	d, err := s.deploy(tx, rec, "Automatic deployment triggered by changes to the Api configuration", true)
	if err != nil {
		return err
	}
	for _, name := range auto {
		st := rec.Stages[name]
		st.DeploymentId = d.DeploymentId
		st.LastDeploymentStatusMessage = fmt.Sprintf("Successfully deployed stage with deployment ID '%s'", d.DeploymentId)
		st.LastUpdatedDate = d.CreatedDate
		rec.Stages[name] = st
	}
	return nil
}

// CreateDeployment deploys the API's current configuration, to StageName when given.
func (s *Service) CreateDeployment(ctx context.Context, in *DeploymentInput) (*Deployment, error) {
	var out Deployment
	err := s.editAPI(ctx, "create deployment", in.ApiId, false, func(tx storage.Tx, rec *apiRecord) error {
		var st Stage
		if in.StageName != "" {
			var ok bool
			if st, ok = rec.Stages[in.StageName]; !ok {
				return errChildNotFound("Stage", in.StageName)
			}
			if st.AutoDeploy {
				return badRequest("Stage %s has AutoDeploy enabled: it deploys automatically", in.StageName)
			}
		}
		if len(rec.Routes) == 0 && rec.Api.ProtocolType == "HTTP" {
			return badRequest("Unable to deploy API because no routes exist in this API")
		}
		desc := ""
		if in.Description != nil {
			desc = *in.Description
		}
		d, err := s.deploy(tx, rec, desc, false)
		if err != nil {
			return err
		}
		if in.StageName != "" {
			st.DeploymentId = d.DeploymentId
			st.LastUpdatedDate = d.CreatedDate
			rec.Stages[in.StageName] = st
		}
		out = d
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (s *Service) deployment(tx storage.Tx, api, id string) (deploymentRecord, error) {
	d, err := storage.GetJSON[deploymentRecord](tx, deploymentKey(api, id))
	if errors.Is(err, storage.ErrNotFound) {
		return d, errChildNotFound("Deployment", id)
	}
	return d, err
}

// GetDeployment returns a deployment.
func (s *Service) GetDeployment(ctx context.Context, api, id string) (*Deployment, error) {
	var out Deployment
	err := s.view(ctx, func(tx storage.Tx) error {
		if _, err := s.getAPI(tx, api); err != nil {
			return err
		}
		d, err := s.deployment(tx, api, id)
		out = d.Deployment
		return err
	})
	if err != nil {
		return nil, awserr.Wrap("get deployment", err)
	}
	return &out, nil
}

// GetDeployments lists an API's deployments.
func (s *Service) GetDeployments(ctx context.Context, api, maxResults, token string) ([]Deployment, string, error) {
	return listPrefix(ctx, s, "get deployments", deploymentPrefix(api), maxResults, token,
		func(tx storage.Tx) error { _, err := s.getAPI(tx, api); return err },
		func(r deploymentRecord) Deployment { return r.Deployment }, func(d Deployment) string { return d.DeploymentId })
}

// UpdateDeployment changes a deployment's description.
func (s *Service) UpdateDeployment(ctx context.Context, in *DeploymentInput) (*Deployment, error) {
	var out Deployment
	err := s.update(ctx, func(tx storage.Tx) error {
		if _, err := s.getAPI(tx, in.ApiId); err != nil {
			return err
		}
		d, err := s.deployment(tx, in.ApiId, in.DeploymentId)
		if err != nil {
			return err
		}
		if in.Description != nil {
			d.Deployment.Description = *in.Description
		}
		out = d.Deployment
		return storage.PutJSON(tx, deploymentKey(in.ApiId, in.DeploymentId), d)
	})
	if err != nil {
		return nil, awserr.Wrap("update deployment", err)
	}
	return &out, nil
}

// DeleteDeployment deletes a deployment no stage serves.
func (s *Service) DeleteDeployment(ctx context.Context, api, id string) error {
	err := s.update(ctx, func(tx storage.Tx) error {
		rec, err := s.getAPI(tx, api)
		if err != nil {
			return err
		}
		if _, err := s.deployment(tx, api, id); err != nil {
			return err
		}
		for _, st := range rec.Stages {
			if st.DeploymentId == id {
				return badRequest("Active stages pointing to this deployment must be moved or deleted")
			}
		}
		return tx.Delete(deploymentKey(api, id))
	})
	return awserr.Wrap("delete deployment", err)
}

// Served is what one stage of an API serves: the stage settings and its deployment's snapshot
// (nil when the stage has no deployment yet).
type Served struct {
	Stage    Stage
	Snapshot *Snapshot
}

// ServedStages returns every stage of an API with the snapshot it serves; ok is false when the
// API does not exist.
func (s *Service) ServedStages(ctx context.Context, api string) (stages []Served, disabled bool, ok bool, err error) {
	err = s.view(ctx, func(tx storage.Tx) error {
		rec, err := storage.GetJSON[apiRecord](tx, apiKey(api))
		if errors.Is(err, storage.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		ok, disabled = true, rec.Api.DisableExecuteApiEndpoint
		for _, st := range rec.Stages {
			sv := Served{Stage: st}
			if st.DeploymentId != "" {
				d, err := s.deployment(tx, api, st.DeploymentId)
				if err == nil {
					sn := d.Snapshot
					sv.Snapshot = &sn
				}
			}
			stages = append(stages, sv)
		}
		return nil
	})
	return stages, disabled, ok, err
}
