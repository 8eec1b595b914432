{{/* Names ---------------------------------------------------------------------------------------------------- */}}

{{- define "gong-ingest.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "gong-ingest.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* "<fullname>-<component>", kept within 63 characters. Call with (dict "root" $ "component" "api"). */}}
{{- define "gong-ingest.componentName" -}}
{{- printf "%s-%s" (include "gong-ingest.fullname" .root | trunc (int (sub 62 (len .component)))) .component | trimSuffix "-" }}
{{- end }}

{{- define "gong-ingest.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels ----------------------------------------------------------------------------------------------------- */}}

{{- define "gong-ingest.labels" -}}
helm.sh/chart: {{ include "gong-ingest.chart" . }}
{{ include "gong-ingest.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: gong-ingest
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "gong-ingest.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gong-ingest.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of one component. Call with (dict "root" $ "component" "worker"). */}}
{{- define "gong-ingest.componentLabels" -}}
{{ include "gong-ingest.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "gong-ingest.componentSelectorLabels" -}}
{{ include "gong-ingest.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Objects ---------------------------------------------------------------------------------------------------- */}}

{{- define "gong-ingest.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "gong-ingest.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "gong-ingest.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* The Secret the pods read: the one you manage, or the chart's own. */}}
{{- define "gong-ingest.secretName" -}}
{{- default (include "gong-ingest.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{/* Whether the chart makes its own Secret: no existingSecret and at least one value set. */}}
{{- define "gong-ingest.createSecret" -}}
{{- if and (not .Values.secrets.existingSecret) (gt (len (include "gong-ingest.setSecretKeys" . | fromJsonArray)) 0) }}true{{ end }}
{{- end }}

{{/* JSON array of the secret keys that have a value in secrets.values, in a stable order. */}}
{{- define "gong-ingest.setSecretKeys" -}}
{{- $set := list }}
{{- range $key := keys .Values.secrets.values | sortAlpha }}
{{- if index $.Values.secrets.values $key }}{{ $set = append $set $key }}{{ end }}
{{- end }}
{{- toJson $set }}
{{- end }}

{{/* Queue keys --------------------------------------------------------------------------------------------------- */}}

{{/*
The BullMQ prefix as the service uses it: wrapped in a Redis Cluster hash tag unless it already holds one
(src/config/load-config.ts hashTaggedPrefix). KEDA must read exactly these keys: a wrong prefix reads 0 forever.
*/}}
{{- define "gong-ingest.queuePrefix" -}}
{{- $prefix := .Values.config.queuePrefix }}
{{- if regexMatch "\\{[^}]+\\}" $prefix }}{{ $prefix }}{{ else }}{{ printf "{%s}" $prefix }}{{ end }}
{{- end }}

{{/* BullMQ v5 keeps waiting jobs in the list <prefix>:<queue>:wait; the queue is named "calls". */}}
{{- define "gong-ingest.waitListKey" -}}
{{- printf "%s:calls:wait" (include "gong-ingest.queuePrefix" .) }}
{{- end }}

{{- define "gong-ingest.activeListKey" -}}
{{- printf "%s:calls:active" (include "gong-ingest.queuePrefix" .) }}
{{- end }}

{{/* Redis ------------------------------------------------------------------------------------------------------ */}}

{{/* host:port of a standalone Redis, from redis.url, for KEDA's scaler. */}}
{{- define "gong-ingest.redisAddress" -}}
{{- $url := urlParse .Values.redis.url }}
{{- $host := get $url "host" }}
{{- if not (regexMatch ":[0-9]+$" $host) }}{{ $host = printf "%s:6379" $host }}{{ end }}
{{- $host }}
{{- end }}

{{/* The database number in redis.url (redis://host:6379/2), 0 when none. */}}
{{- define "gong-ingest.redisDatabase" -}}
{{- $path := trimPrefix "/" (get (urlParse .Values.redis.url) "path") }}
{{- if regexMatch "^[0-9]+$" $path }}{{ $path }}{{ else }}0{{ end }}
{{- end }}

{{- define "gong-ingest.redisTls" -}}
{{- if eq .Values.redis.mode "standalone" }}{{ hasPrefix "rediss://" .Values.redis.url }}{{ else }}{{ .Values.redis.tls }}{{ end }}
{{- end }}

{{/* Workers ---------------------------------------------------------------------------------------------------- */}}

{{/* The grace in whole seconds, rounded up, plus the margin: Kubernetes must not kill a worker mid-shutdown. */}}
{{- define "gong-ingest.workerTerminationGracePeriodSeconds" -}}
{{- add (div (add (int .Values.worker.shutdownGraceMs) 999) 1000) .Values.worker.terminationGraceMarginSeconds }}
{{- end }}

{{/* Checks that span several values, failing the render with a message that names them. */}}
{{- define "gong-ingest.validate" -}}
{{- if and (eq .Values.redis.mode "sentinel") (empty .Values.redis.sentinel.nodes) }}
{{- fail "redis.mode=sentinel needs redis.sentinel.nodes (host:port of each Sentinel)" }}
{{- end }}
{{- if and (eq .Values.redis.mode "cluster") (empty .Values.redis.cluster.nodes) }}
{{- fail "redis.mode=cluster needs redis.cluster.nodes (host:port of some cluster nodes)" }}
{{- end }}
{{- if and .Values.redis.auth.enabled (not .Values.secrets.existingSecret) (not .Values.secrets.values.REDIS_PASSWORD) }}
{{- fail "redis.auth.enabled needs secrets.values.REDIS_PASSWORD or a secrets.existingSecret holding REDIS_PASSWORD" }}
{{- end }}
{{- $v := .Values.secrets.values }}
{{- if and (or $v.GONG_ACCESS_KEY $v.GONG_ACCESS_KEY_SECRET) $v.GONG_BEARER_TOKEN }}
{{- fail "set either secrets.values.GONG_ACCESS_KEY + GONG_ACCESS_KEY_SECRET or secrets.values.GONG_BEARER_TOKEN, not both" }}
{{- end }}
{{- if ne (empty $v.GONG_ACCESS_KEY) (empty $v.GONG_ACCESS_KEY_SECRET) }}
{{- fail "secrets.values.GONG_ACCESS_KEY and GONG_ACCESS_KEY_SECRET go together" }}
{{- end }}
{{- if and .Values.tenants.enabled (not .Values.tenants.existingConfigMap) (empty .Values.tenants.content) }}
{{- fail "tenants.enabled needs tenants.content or tenants.existingConfigMap" }}
{{- end }}
{{- if and .Values.userMap.enabled (not .Values.userMap.existingConfigMap) (empty .Values.userMap.content) }}
{{- fail "userMap.enabled needs userMap.content or userMap.existingConfigMap" }}
{{- end }}
{{- if and .Values.worker.keda.enabled (gt (int .Values.worker.keda.minReplicaCount) (int .Values.worker.keda.maxReplicaCount)) }}
{{- fail "worker.keda.minReplicaCount must not exceed worker.keda.maxReplicaCount" }}
{{- end }}
{{- if and .Values.api.autoscaling.enabled (gt (int .Values.api.autoscaling.minReplicas) (int .Values.api.autoscaling.maxReplicas)) }}
{{- fail "api.autoscaling.minReplicas must not exceed api.autoscaling.maxReplicas" }}
{{- end }}
{{- end }}
