package deploy

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

type stsAPI interface {
	GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
}

// Identity tells who the caller is (STS).
type Identity struct {
	api stsAPI
}

// NewIdentity makes an Identity from cfg.
func NewIdentity(cfg aws.Config) *Identity { return &Identity{api: sts.NewFromConfig(cfg)} }

// unknownAccount is what Account says when STS cannot tell.
const unknownAccount = "unknown"

// Account returns the AWS account id of the caller, or "unknown" when STS
// cannot tell: it is shown to the operator, never relied on.
func (i *Identity) Account(ctx context.Context) string {
	out, err := i.api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || out.Account == nil {
		return unknownAccount
	}
	return *out.Account
}

// Where returns where a change in env goes: the caller's account, cfg's
// region and env, as Confirm shows them.
func Where(ctx context.Context, cfg aws.Config, env string) Place {
	return Place{Account: NewIdentity(cfg).Account(ctx), Region: cfg.Region, Env: env}
}
