import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { validate as validateDeployment } from 'kubernetes-models/_schemas/IoK8sApiAppsV1Deployment';
import { validate as validateHpa } from 'kubernetes-models/_schemas/IoK8sApiAutoscalingV2HorizontalPodAutoscaler';
import { validate as validateIngress } from 'kubernetes-models/_schemas/IoK8sApiNetworkingV1Ingress';
import { validate as validateNetworkPolicy } from 'kubernetes-models/_schemas/IoK8sApiNetworkingV1NetworkPolicy';
import { validate as validatePdb } from 'kubernetes-models/_schemas/IoK8sApiPolicyV1PodDisruptionBudget';
import { validate as validateConfigMap } from 'kubernetes-models/_schemas/IoK8sApiCoreV1ConfigMap';
import { validate as validatePod } from 'kubernetes-models/_schemas/IoK8sApiCoreV1Pod';
import { validate as validateSecret } from 'kubernetes-models/_schemas/IoK8sApiCoreV1Secret';
import { validate as validateService } from 'kubernetes-models/_schemas/IoK8sApiCoreV1Service';
import { validate as validateServiceAccount } from 'kubernetes-models/_schemas/IoK8sApiCoreV1ServiceAccount';
import type { Manifest } from './helm-chart.js';

/**
 * Problems with one rendered object, against the Kubernetes OpenAPI schemas shipped in kubernetes-models:
 * 1. the model's own validate() (types, required fields, enums), and
 * 2. unknown fields, which validate() lets through (Kubernetes schemas allow extra properties, and the API server
 *    silently drops them: a `readOnlyRootFileSystem` typo would never harden anything). The compiled schema
 *    validator reads every field it knows; whatever it never read is unknown.
 * Custom resources (KEDA, Prometheus Operator) have no models installed here: they get hand-written structural
 * checks of the fields this chart uses (@kubernetes-models/keda and @kubernetes-models/prometheus-operator would
 * replace them).
 */
export function manifestProblems(manifest: Manifest): string[] {
  const where = `${manifest.kind}/${manifest.metadata?.name}`;
  const custom = CUSTOM_RESOURCE_CHECKS[`${manifest.apiVersion} ${manifest.kind}`];
  if (custom) return custom(manifest).map((p) => `${where}: ${p}`);
  const core = CORE_KINDS[`${manifest.apiVersion} ${manifest.kind}`];
  if (!core) return [`${where}: ${manifest.apiVersion} ${manifest.kind} is not a kind this chart is expected to make`];

  const problems: string[] = [];
  try {
    new core.Model(manifest as never).validate();
  } catch (error) {
    problems.push(`${where}: ${(error as Error).message}`);
  }
  const read = new Set<string>();
  core.validate(tracked(manifest, '', read));
  for (const path of leafAndObjectPaths(manifest, '')) {
    if (!read.has(path)) problems.push(`${where}: unknown field ${path.slice(1)}`);
  }
  return problems;
}

interface CoreKind {
  Model: new (data: never) => { validate(): void };
  validate: (data: unknown) => boolean;
}

/** apiVersion + kind → the model class and its compiled schema validator. Static imports: Jest's ESM loader races on parallel dynamic ones. */
const CORE_KINDS: Record<string, CoreKind> = {
  'apps/v1 Deployment': { Model: Deployment, validate: validateDeployment },
  'v1 Service': { Model: Service, validate: validateService },
  'v1 ConfigMap': { Model: ConfigMap, validate: validateConfigMap },
  'v1 Secret': { Model: Secret, validate: validateSecret },
  'v1 ServiceAccount': { Model: ServiceAccount, validate: validateServiceAccount },
  'v1 Pod': { Model: Pod, validate: validatePod },
  'networking.k8s.io/v1 Ingress': { Model: Ingress, validate: validateIngress },
  'networking.k8s.io/v1 NetworkPolicy': { Model: NetworkPolicy, validate: validateNetworkPolicy },
  'policy/v1 PodDisruptionBudget': { Model: PodDisruptionBudget, validate: validatePdb },
  'autoscaling/v2 HorizontalPodAutoscaler': { Model: HorizontalPodAutoscaler, validate: validateHpa },
};

function tracked(value: unknown, path: string, read: Set<string>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return new Proxy(value, {
    get(target, key, receiver) {
      const child: unknown = Reflect.get(target, key, receiver);
      if (typeof key === 'string' && Object.prototype.hasOwnProperty.call(target, key)) {
        const childPath = Array.isArray(target) ? `${path}[${key}]` : `${path}.${key}`;
        read.add(childPath);
        return tracked(child, childPath, read);
      }
      return child;
    },
  });
}

function leafAndObjectPaths(value: unknown, path: string, out: string[] = []): string[] {
  if (typeof value !== 'object' || value === null) return out;
  for (const [key, child] of Object.entries(value)) {
    const childPath = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
    out.push(childPath);
    leafAndObjectPaths(child, childPath, out);
  }
  return out;
}

// Custom resources ----------------------------------------------------------------------------------------------

type Check = (m: Manifest) => string[];
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringMap = (v: unknown) => isObject(v) && Object.values(v).every((x) => typeof x === 'string');
const DURATION = /^([0-9]+(ms|s|m|h|d|w|y))+$/;

function onlyKeys(object: Json, allowed: string[], path: string): string[] {
  return Object.keys(object)
    .filter((k) => !allowed.includes(k))
    .map((k) => `unknown field ${path}.${k}`);
}

function metadataProblems(m: Manifest): string[] {
  const problems: string[] = [];
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(m.metadata?.name ?? '')) problems.push(`metadata.name ${m.metadata?.name} is not a DNS label`);
  if (m.metadata?.labels && !isStringMap(m.metadata.labels)) problems.push('metadata.labels must map strings to strings');
  return problems;
}

const CUSTOM_RESOURCE_CHECKS: Record<string, Check> = {
  'keda.sh/v1alpha1 ScaledObject': (m) => {
    const spec = m.spec as Json;
    const problems = [...metadataProblems(m), ...onlyKeys(spec, ['scaleTargetRef', 'pollingInterval', 'cooldownPeriod', 'minReplicaCount', 'maxReplicaCount', 'advanced', 'triggers', 'fallback', 'idleReplicaCount', 'initialCooldownPeriod'], 'spec')];
    const target = spec.scaleTargetRef as Json | undefined;
    if (!target || typeof target.name !== 'string') problems.push('spec.scaleTargetRef.name is required');
    for (const field of ['pollingInterval', 'cooldownPeriod', 'minReplicaCount', 'maxReplicaCount']) {
      if (spec[field] !== undefined && !Number.isInteger(spec[field])) problems.push(`spec.${field} must be an integer`);
    }
    if ((spec.minReplicaCount as number) > (spec.maxReplicaCount as number)) problems.push('spec.minReplicaCount exceeds maxReplicaCount');
    const triggers = spec.triggers;
    if (!Array.isArray(triggers) || triggers.length === 0) return [...problems, 'spec.triggers must be a non-empty list'];
    triggers.forEach((t: Json, i) => {
      problems.push(...onlyKeys(t, ['type', 'metadata', 'authenticationRef', 'name', 'metricType', 'useCachedMetrics'], `spec.triggers[${i}]`));
      if (!['redis', 'redis-sentinel', 'redis-cluster', 'prometheus'].includes(t.type as string)) problems.push(`spec.triggers[${i}].type ${String(t.type)} is not one this chart uses`);
      if (!isStringMap(t.metadata)) problems.push(`spec.triggers[${i}].metadata values must all be strings (KEDA refuses numbers)`);
      if (t.authenticationRef !== undefined && typeof (t.authenticationRef as Json).name !== 'string') problems.push(`spec.triggers[${i}].authenticationRef.name is required`);
    });
    return problems;
  },
  'keda.sh/v1alpha1 TriggerAuthentication': (m) => {
    const spec = m.spec as Json;
    const problems = [...metadataProblems(m), ...onlyKeys(spec, ['secretTargetRef', 'env'], 'spec')];
    const refs = spec.secretTargetRef;
    if (!Array.isArray(refs) || refs.length === 0) return [...problems, 'spec.secretTargetRef must be a non-empty list'];
    refs.forEach((r: Json, i) => {
      problems.push(...onlyKeys(r, ['parameter', 'name', 'key'], `spec.secretTargetRef[${i}]`));
      for (const field of ['parameter', 'name', 'key']) if (typeof r[field] !== 'string') problems.push(`spec.secretTargetRef[${i}].${field} is required`);
    });
    return problems;
  },
  'monitoring.coreos.com/v1 ServiceMonitor': (m) => {
    const spec = m.spec as Json;
    const problems = [...metadataProblems(m), ...onlyKeys(spec, ['selector', 'namespaceSelector', 'endpoints', 'jobLabel', 'targetLabels', 'podTargetLabels'], 'spec')];
    if (!isObject(spec.selector)) problems.push('spec.selector is required');
    const endpoints = spec.endpoints;
    if (!Array.isArray(endpoints) || endpoints.length === 0) return [...problems, 'spec.endpoints must be a non-empty list'];
    endpoints.forEach((e: Json, i) => {
      problems.push(...onlyKeys(e, ['port', 'path', 'interval', 'scrapeTimeout', 'relabelings', 'metricRelabelings', 'scheme', 'honorLabels'], `spec.endpoints[${i}]`));
      if (typeof e.port !== 'string') problems.push(`spec.endpoints[${i}].port must name a Service port`);
      for (const field of ['interval', 'scrapeTimeout']) if (e[field] !== undefined && !DURATION.test(String(e[field]))) problems.push(`spec.endpoints[${i}].${field} is not a duration`);
    });
    return problems;
  },
  'monitoring.coreos.com/v1 PrometheusRule': (m) => {
    const spec = m.spec as Json;
    const problems = [...metadataProblems(m), ...onlyKeys(spec, ['groups'], 'spec')];
    const groups = spec.groups;
    if (!Array.isArray(groups) || groups.length === 0) return [...problems, 'spec.groups must be a non-empty list'];
    groups.forEach((g: Json, i) => {
      if (typeof g.name !== 'string') problems.push(`spec.groups[${i}].name is required`);
      if (!Array.isArray(g.rules) || g.rules.length === 0) problems.push(`spec.groups[${i}].rules must be a non-empty list`);
      ((g.rules as Json[]) ?? []).forEach((r, j) => {
        const at = `spec.groups[${i}].rules[${j}]`;
        problems.push(...onlyKeys(r, ['alert', 'record', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'], at));
        if ((typeof r.alert === 'string') === (typeof r.record === 'string')) problems.push(`${at} needs exactly one of alert or record`);
        if (typeof r.expr !== 'string' || r.expr.trim() === '') problems.push(`${at}.expr is required`);
        if (r.for !== undefined && !DURATION.test(String(r.for))) problems.push(`${at}.for is not a duration`);
        for (const field of ['labels', 'annotations']) if (r[field] !== undefined && !isStringMap(r[field])) problems.push(`${at}.${field} must map strings to strings`);
      });
    });
    return problems;
  },
};
