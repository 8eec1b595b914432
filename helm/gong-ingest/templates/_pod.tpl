{{/*
The pod template shared by the API and worker Deployments: same image, same config, same hardening; ROLE picks
what the process does. Call with (dict "root" $ "component" "api" "values" .Values.api).
*/}}
{{- define "gong-ingest.podTemplate" -}}
{{- $root := .root }}
{{- $values := .values }}
metadata:
  annotations:
    checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
    {{- if include "gong-ingest.createSecret" $root }}
    checksum/secret: {{ include (print $root.Template.BasePath "/secret.yaml") $root | sha256sum }}
    {{- end }}
    {{- if and $root.Values.userMap.enabled (not $root.Values.userMap.existingConfigMap) }}
    checksum/user-map: {{ include (print $root.Template.BasePath "/user-map-configmap.yaml") $root | sha256sum }}
    {{- end }}
    {{- if and $root.Values.tenants.enabled (not $root.Values.tenants.existingConfigMap) }}
    checksum/tenants: {{ include (print $root.Template.BasePath "/tenants-configmap.yaml") $root | sha256sum }}
    {{- end }}
    {{- with $values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  labels:
    {{- include "gong-ingest.componentSelectorLabels" . | nindent 4 }}
    {{- with $values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "gong-ingest.serviceAccountName" $root }}
  automountServiceAccountToken: {{ $root.Values.automountServiceAccountToken }}
  {{- with $root.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $values.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  terminationGracePeriodSeconds: {{ .terminationGracePeriodSeconds }}
  securityContext:
    {{- toYaml $root.Values.podSecurityContext | nindent 4 }}
  containers:
    - name: {{ .component }}
      image: {{ include "gong-ingest.image" $root | quote }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      securityContext:
        {{- toYaml $root.Values.containerSecurityContext | nindent 8 }}
      ports:
        - name: http
          containerPort: {{ $root.Values.containerPort }}
          protocol: TCP
      env:
        - name: ROLE
          value: {{ .component | quote }}
        - name: PORT
          value: {{ $root.Values.containerPort | quote }}
        {{- if eq .component "worker" }}
        - name: WORKER_CONCURRENCY
          value: {{ $values.concurrency | quote }}
        - name: WORKER_SHUTDOWN_GRACE_MS
          value: {{ int $values.shutdownGraceMs | quote }}
        {{- else }}
        {{- /* The API's own deadline, inside its pod's grace period: 5 s before Kubernetes sends SIGKILL. */}}
        - name: API_SHUTDOWN_GRACE_MS
          value: {{ max 1000 (mul (sub (int $values.terminationGracePeriodSeconds) 5) 1000) | quote }}
        {{- end }}
        {{- with trim (printf "%s %s" ($root.Values.config.extraEnv.NODE_OPTIONS | default "") ($values.nodeOptions | default "")) }}
        {{- /* Beside config.extraEnv's flags, not instead of them: a container's env wins over its envFrom. */}}
        - name: NODE_OPTIONS
          value: {{ . | quote }}
        {{- end }}
        {{- with include "gong-ingest.secretEnv" $root | trim }}
        {{- . | nindent 8 }}
        {{- end }}
      envFrom:
        - configMapRef:
            name: {{ include "gong-ingest.componentName" (dict "root" $root "component" "config") }}
      livenessProbe:
        httpGet:
          path: /healthz
          port: http
        {{- toYaml $values.livenessProbe | nindent 8 }}
      readinessProbe:
        httpGet:
          path: /readyz
          port: http
        {{- toYaml $values.readinessProbe | nindent 8 }}
      resources:
        {{- toYaml $values.resources | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        {{- if $root.Values.userMap.enabled }}
        - name: user-map
          mountPath: {{ $root.Values.userMap.mountPath }}
          readOnly: true
        {{- end }}
        {{- if $root.Values.tenants.enabled }}
        - name: tenants
          mountPath: {{ $root.Values.tenants.mountPath }}
          readOnly: true
        {{- if $root.Values.tenants.secretName }}
        - name: tenant-secrets
          mountPath: {{ $root.Values.tenants.secretsMountPath }}
          readOnly: true
        {{- end }}
        {{- end }}
        {{- if $root.Values.redis.tlsSecret.name }}
        - name: redis-tls
          mountPath: /etc/gong-ingest/redis-tls
          readOnly: true
        {{- end }}
  volumes:
    - name: tmp
      emptyDir:
        {{- with $root.Values.tmpVolume.medium }}
        medium: {{ . }}
        {{- end }}
        sizeLimit: {{ $root.Values.tmpVolume.sizeLimit }}
    {{- if $root.Values.userMap.enabled }}
    - name: user-map
      configMap:
        name: {{ default (include "gong-ingest.componentName" (dict "root" $root "component" "user-map")) $root.Values.userMap.existingConfigMap }}
        items:
          - key: {{ $root.Values.userMap.key }}
            path: {{ $root.Values.userMap.key }}
    {{- end }}
    {{- if $root.Values.tenants.enabled }}
    - name: tenants
      configMap:
        name: {{ default (include "gong-ingest.componentName" (dict "root" $root "component" "tenants")) $root.Values.tenants.existingConfigMap }}
        items:
          - key: {{ $root.Values.tenants.key }}
            path: {{ $root.Values.tenants.key }}
    {{- if $root.Values.tenants.secretName }}
    - name: tenant-secrets
      secret:
        secretName: {{ $root.Values.tenants.secretName }}
        defaultMode: 0440
    {{- end }}
    {{- end }}
    {{- with $root.Values.redis.tlsSecret }}{{ if .name }}
    - name: redis-tls
      secret:
        secretName: {{ .name }}
        defaultMode: 0440
        items:
          {{- range $key := list .caKey .certKey .keyKey }}{{ if $key }}
          - key: {{ $key }}
            path: {{ $key }}
          {{- end }}{{ end }}
    {{- end }}{{ end }}
  {{- with $values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $values.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}

{{/*
Secret environment variables, each a secretKeyRef: never a plain value. From the chart's own Secret only the keys
that were given are referenced; from an existing Secret every known key is referenced as optional, since the chart
cannot see which it holds (the service reports any that a role needs and lacks, then exits 78).
*/}}
{{- define "gong-ingest.secretEnv" -}}
{{- $secretName := include "gong-ingest.secretName" . }}
{{- if .Values.secrets.existingSecret }}
{{- range $key := keys .Values.secrets.values | sortAlpha }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ $secretName }}
      key: {{ $key }}
      optional: true
{{- end }}
{{- else }}
{{- range $key := include "gong-ingest.setSecretKeys" . | fromJsonArray }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ $secretName }}
      key: {{ $key }}
{{- end }}
{{- end }}
{{- end }}
