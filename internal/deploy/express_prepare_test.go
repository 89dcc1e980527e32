package deploy

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
)

func TestExpressPrepare(t *testing.T) {
	dir, _ := expressRepo(t)
	var mu sync.Mutex
	roles := map[string]bool{}
	policies := map[string]string{}
	f := &fakeAWS{JSON: map[string]func(map[string]any) (any, error){
		"DescribeRepositories": func(map[string]any) (any, error) {
			return nil, &awsErr{Code: "RepositoryNotFoundException", Message: "no repository"}
		},
		"CreateRepository": func(req map[string]any) (any, error) {
			return map[string]any{"repository": map[string]any{"repositoryName": str(req, "repositoryName")}}, nil
		},
		"DescribeSecret": func(req map[string]any) (any, error) {
			return map[string]any{"Name": str(req, "SecretId"), "ARN": "arn:aws:secretsmanager:us-east-1:1:secret:k"}, nil
		},
		"CreateCluster": func(req map[string]any) (any, error) {
			if str(req, "clusterName") != "llm-testing-staging" {
				t.Errorf("cluster name = %q", str(req, "clusterName"))
			}
			return map[string]any{"cluster": map[string]any{"clusterName": str(req, "clusterName")}}, nil
		},
	}, Query: map[string]func(url.Values) (string, error){
		"GetCallerIdentity": func(url.Values) (string, error) { return "<Account>123456789012</Account>", nil },
		"GetRole": func(form url.Values) (string, error) {
			mu.Lock()
			defer mu.Unlock()
			if !roles[form.Get("RoleName")] {
				return "", &awsErr{Code: "NoSuchEntity", Message: "no role", Status: 404}
			}
			return "<Role><Path>/</Path><RoleName>r</RoleName><RoleId>A</RoleId><Arn>arn:r</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></Role>", nil
		},
		"CreateRole": func(form url.Values) (string, error) {
			mu.Lock()
			defer mu.Unlock()
			roles[form.Get("RoleName")] = true
			return "<Role><Path>/</Path><RoleName>r</RoleName><RoleId>A</RoleId><Arn>arn:r</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></Role>", nil
		},
		"AttachRolePolicy": func(form url.Values) (string, error) {
			mu.Lock()
			defer mu.Unlock()
			policies[form.Get("RoleName")+" "+form.Get("PolicyArn")] = ""
			return "", nil
		},
		"PutRolePolicy": func(form url.Values) (string, error) {
			mu.Lock()
			defer mu.Unlock()
			policies[form.Get("RoleName")+" "+form.Get("PolicyName")] = form.Get("PolicyDocument")
			return "", nil
		},
	}}
	var out bytes.Buffer
	tool := &Tool{Dir: dir, Console: Console{In: strings.NewReader(""), Out: &out, Err: &out}, AWS: fixedAWS(startFake(t, f))}
	for run := 1; run <= 2; run++ {
		if err := tool.ExpressPrepare(context.Background(), "staging", ConfirmSettings{}); err != nil {
			t.Fatalf("run %d: %v\n%s", run, err, out.String())
		}
	}
	if n := f.CallCount("CreateRole"); n != 3 {
		t.Fatalf("%d roles created over two runs, want 3 (the second run finds them)", n)
	}
	bedrock := policies["llm-testing-staging-express-task bedrock-invoke"]
	for _, want := range []string{"bedrock:InvokeModelWithResponseStream", "arn:aws:bedrock:*::foundation-model/*", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/*"} {
		if !strings.Contains(bedrock, want) {
			t.Errorf("task role policy lacks %s: %s", want, bedrock)
		}
	}
	for _, want := range []string{
		"llm-testing-staging-express-infrastructure arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices",
		"llm-testing-staging-express-execution arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
	} {
		if _, ok := policies[want]; !ok {
			t.Errorf("no policy %s; have %v", want, policies)
		}
	}
	if doc := policies["llm-testing-staging-express-execution read-api-keys"]; !strings.Contains(doc, "arn:aws:secretsmanager:us-east-1:1:secret:k") {
		t.Errorf("execution role may not read the secret: %s", doc)
	}
}
